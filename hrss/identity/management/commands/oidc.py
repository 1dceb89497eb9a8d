from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrss.core.errors import DomainError
from hrss.identity.clients import relying_party_create
from hrss.identity.scopes import RELYING_PARTY_DEFAULT_SCOPES


class Command(BaseCommand):
    help = (
        "Single sign-on relying parties: `hrss oidc client create --name NAME --redirect-uri URI "
        "[--redirect-uri URI2] [--post-logout-redirect-uri URI] [--scopes openid profile phone id_number]` "
        "prints the client id and secret as JSON (the secret is shown once)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="entity", required=True)
        client = sub.add_parser("client", help="relying parties")
        actions = client.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="register a relying party")
        create.add_argument("--name", required=True)
        create.add_argument("--redirect-uri", action="append", required=True, dest="redirect_uris")
        create.add_argument("--post-logout-redirect-uri", action="append", dest="logout_uris")
        create.add_argument("--scopes", nargs="+", default=list(RELYING_PARTY_DEFAULT_SCOPES))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            credentials = relying_party_create(
                name=options["name"],
                redirect_uris=options["redirect_uris"],
                post_logout_redirect_uris=options["logout_uris"],
                scopes=options["scopes"],
                actor="cli",
            )
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message} {error.fields or ''}".strip()) from error
        self.stdout.write(json.dumps(credentials.as_dict(), ensure_ascii=False))
