"""Every table sits in its own scrolling box, so a wide table never widens a page on a phone
(docs/STYLE rule 9; the browser test tests/browser/test_phone_layout.py measures a few pages)."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]
TABLE = re.compile(r"<table\b")
WRAPPED = re.compile(r'<div class="overflow-auto">\s*$')


def test_every_template_table_is_wrapped_in_an_overflow_box() -> None:
    bare = []
    for template in sorted(SRC.glob("milepost/**/templates/**/*.html")):
        text = template.read_text()
        for match in TABLE.finditer(text):
            if not WRAPPED.search(text[: match.start()]):
                line = text.count("\n", 0, match.start()) + 1
                bare.append(f"{template.relative_to(SRC)}:{line}")
    assert bare == [], f'wrap these tables in <div class="overflow-auto">: {bare}'
