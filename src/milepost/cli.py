"""The `milepost` command: Django's management commands plus grouped verbs.

`milepost import esco DIR` is the management command `import_data esco DIR`;
`milepost export frameworks FILE` is `export_data frameworks FILE`; every other
word is passed to Django as `manage.py` would.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import": "import_data", "export": "export_data"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "milepost.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    args[0] = "milepost"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
