from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrss.core.errors import DomainError
from hrss.identity.clients import agency_client_create
from hrss.identity.scopes import AGENCY_SCOPES


class Command(BaseCommand):
    help = (
        "Agency clients (OAuth2 client credentials): `hrss agency client create --name NAME --scopes "
        f"SCOPE [SCOPE...]` prints the client id and secret as JSON. Scopes: {', '.join(AGENCY_SCOPES)}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="entity", required=True)
        client = sub.add_parser("client", help="agency clients")
        actions = client.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="register an agency client")
        create.add_argument("--name", required=True)
        create.add_argument("--scopes", nargs="+", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            credentials = agency_client_create(name=options["name"], scopes=options["scopes"], actor="cli")
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message} {error.fields or ''}".strip()) from error
        self.stdout.write(json.dumps(credentials.as_dict(), ensure_ascii=False))
