"""Is a text written in English? A small function-word test, no model.

The matching models and the competency frameworks here are English; a need written in
another language would get confident-looking but meaningless suggestions, so intake asks for
English instead. English prose of six or more words almost always contains some of these
function words; French, German, Spanish, Dutch, Italian or Portuguese prose contains its own.
"""

from __future__ import annotations

import re

_ENGLISH_WORDS = """a an the and or but of to in on at for with from by as is are was were
    be been being
    it its this that these those our we they their them you your he she his her i my me us
    not no do does did have has had will would can could should may might must than then
    there here who what when where which while how why all any some each more most very
    also into about over after before since because so if"""
_OTHER_WORDS = """le la les des du de et un une est sont pour dans avec sur pas nous vous
    ils elles
    leur leurs qui que au aux ces cette ont besoin mais ou
    der die das den dem und ist sind nicht mit für auf ein eine einen wir sie ihr ich zu von
    im bei auch oder aber wie
    el los las y es son para con por una unos sus nuestro nuestra necesitan pero como del
    het een en van zijn niet voor ook maar wij
    il gli di che non sono per con una della nel
    os as um uma não são para com mais"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())
OTHER = frozenset(_OTHER_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORDS = 6


def looks_english(text: str) -> bool:
    """False only when the text clearly reads as another language; short texts pass."""
    words = [word.lower() for word in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return True
    english = sum(word in ENGLISH for word in words)
    other = sum(word in OTHER and word not in ENGLISH for word in words)
    return english >= other
