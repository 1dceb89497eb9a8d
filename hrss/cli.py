"""The ``hrss`` console script: Django's management commands plus the project's own.

``hrss migrate``, ``hrss serve``, ``hrss registry import ...``, ``hrss audit verify``,
``hrss token create --user NAME``: the first word is a management command; the project's
commands take sub-commands as their first argument.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrss.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hrss", *sys.argv[1:]])


if __name__ == "__main__":
    main()
