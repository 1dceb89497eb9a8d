"""Small helpers for the app's set-based SQL, which runs unchanged on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.apps import apps
from django.db import connection, models


def table(app_model: str) -> str:
    """The database table of ``"app.Model"``: SQL names come from model meta, never from input."""
    return str(apps.get_model(app_model)._meta.db_table)


def db_uuid(value: uuid.UUID) -> Any:
    """A UUID as this database stores it (32 hex digits on SQLite, uuid on PostgreSQL)."""
    return models.UUIDField().get_db_prep_value(value, connection)


def db_datetime(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def execute(sql: str, params: list[Any]) -> int:
    """Run one statement; the number of rows it wrote (0 where the driver cannot tell)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
