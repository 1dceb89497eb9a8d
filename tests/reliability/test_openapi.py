"""The OpenAPI document names each schema once: django-ninja keys components by class
name, so two different schemas with one name make one operation document the other's
body (fuzzing found /identity/me documented with the pension account's shape)."""

from __future__ import annotations

import ninja

from hrss.api import api


def _subclasses(klass: type) -> set[type]:
    found = set()
    for sub in klass.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_schema_names_are_unique_or_identical():
    api.get_openapi_schema()  # import every router's schemas
    by_name: dict[str, dict] = {}
    clashes = []
    for schema in _subclasses(ninja.Schema):
        if not schema.__module__.startswith("hrss."):
            continue
        shape = schema.model_json_schema()
        shape.pop("title", None)
        shape.pop("description", None)
        if schema.__name__ in by_name and by_name[schema.__name__] != shape:
            clashes.append(f"{schema.__name__} ({schema.__module__})")
        by_name.setdefault(schema.__name__, shape)
    assert not clashes, f"schemas sharing a name but not a shape: {sorted(clashes)}"
