from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrss.identity.auth import token_create
from hrss.identity.models import User


class Command(BaseCommand):
    help = "API tokens: `hrss token create --user NAME [--name LABEL]` prints a new bearer token once."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a bearer token for a user")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {options['user']!r}")
        self.stdout.write(token_create(user=user, name=options["name"]))
