"""The project's URLs plus the person-lookup benchmark's two baselines. Mounted only by
``bench.settings_bench``.

- ``/bench/bare``: constant JSON through the same middleware stack: what the server,
  Django and its middleware cost before any hrss code runs.
- ``/bench/limit/<id_number>``: the same work as ``GET /api/v1/registry/persons/<id_number>``
  written by hand: the bearer token checked with one SQL query (its answer kept in the
  process for ``HRSS_PRINCIPAL_CACHE_SECONDS``, as the API keeps its principals), the
  person (with the districts' names) read with one, the ID number and phone decrypted, the
  audit entry appended with one INSERT, the same JSON answered. No ORM, no ninja, no scope object: the
  limit of an audited lookup on this stack (server, Django, middleware, database driver).
"""

import hashlib
import json
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone

from hrss.codes.identifiers import parse_id_number
from hrss.core.crypto import decrypt_text
from hrss.identity.models import ApiToken, User
from hrss.registry.models import Person
from hrss.registry.services import id_number_index
from hrss.urls import handler404, handler500
from hrss.urls import urlpatterns as hrss_urlpatterns

BODY = {"status": "ok", "service": "hrss", "benchmark": "bare"}

_TOKEN_SQL = (
    f'SELECT u.username FROM "{ApiToken._meta.db_table}" t JOIN "{User._meta.db_table}" u ON u.id = t.user_id '  # noqa: S608 - model table names
    "WHERE t.digest = %s AND NOT t.revoked AND u.is_active"
)
_PERSON_SQL = (
    "SELECT p.id, p.id_number, p.name, p.sex, p.birth_date, p.household_district_id, h.name, "  # noqa: S608
    "p.residence_district_id, r.name, p.phone, p.death_date, p.status, p.sources "
    f'FROM "{Person._meta.db_table}" p LEFT JOIN codes_district h ON h.code = p.household_district_id '
    "LEFT JOIN codes_district r ON r.code = p.residence_district_id WHERE p.id_number_index = %s"
)
_AUDIT_SQL = (
    "INSERT INTO core_auditentry (at, actor, actor_role, action, object_type, object_id, purpose, detail, prev_hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


_tokens: dict[str, tuple[str, float]] = {}  # digest -> (username, fresh until)


def _username(cursor, token: str) -> str | None:  # type: ignore[no-untyped-def]
    digest = hashlib.sha256(token.encode()).hexdigest()
    cached = _tokens.get(digest)
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    cursor.execute(_TOKEN_SQL, [digest])
    row = cursor.fetchone()
    if row is None:
        return None
    _tokens[digest] = (row[0], time.monotonic() + settings.HRSS_PRINCIPAL_CACHE_SECONDS)
    return str(row[0])


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse(BODY)


def limit(request: HttpRequest, id_number: str) -> JsonResponse:
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    number = parse_id_number(id_number).value
    with connection.cursor() as cursor:
        username = _username(cursor, token)
        if username is None:
            return JsonResponse({"code": "authentication_required"}, status=401)
        cursor.execute(_PERSON_SQL, [id_number_index(number)])
        row = cursor.fetchone()
        if row is None:
            return JsonResponse({"code": "not_found"}, status=404)
        person_id = str(row[0])
        cursor.execute(
            _AUDIT_SQL,
            [timezone.now(), username, "counter_clerk", "registry.person.read", "person", person_id, "", "{}", ""],
        )
    sources = row[12] if isinstance(row[12], dict) else json.loads(row[12] or "{}")
    return JsonResponse(
        {
            "id": person_id,
            "id_number": decrypt_text(row[1], aad="registry.person.id_number"),
            "name": row[2],
            "sex": row[3],
            "birth_date": str(row[4]),
            "household_district": {"code": row[5], "name": row[6]} if row[5] else None,
            "residence_district": {"code": row[7], "name": row[8]} if row[7] else None,
            "phone": decrypt_text(row[9], aad="registry.person.phone") if row[9] else "",
            "death_date": str(row[10]) if row[10] else None,
            "status": row[11],
            "sources": sources,
        }
    )


urlpatterns = [path("bench/bare", bare), path("bench/limit/<str:id_number>", limit), *hrss_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
