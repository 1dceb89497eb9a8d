"""Request examples for operations whose body has no schema class of its own.

A JSON body's example sits on its schema (``model_config = ConfigDict(json_schema_extra=
{"examples": [...]})``). A multipart upload (``Form[...]`` and ``File[...]`` parameters) is a
schema django-ninja assembles per operation, so its example goes on the operation's media type
instead: ``@router.post(..., openapi_extra=multipart_example({...}))``. A file part's example is
the file's content as text. Schemathesis's examples phase and ``/api/v1/docs`` read both places.
"""

from __future__ import annotations

from typing import Any


def multipart_example(value: dict[str, Any]) -> dict[str, Any]:
    """The ``openapi_extra`` that gives a multipart/form-data request body its example."""
    return {"requestBody": {"content": {"multipart/form-data": {"example": value}}}}
