"""Querysets compiled once and run many times: the hot reads without the ORM's compiler.

Building the SQL of a queryset costs more Python than running it: for a person looked up
by ID number, Django's compiler took about 0.8 ms of the request's CPU, the database
0.05 ms (docs/performance.md). A hot selector that runs the same query with a different
value on every request wraps it in a ``PreparedQuery``:

    _BY_INDEX = PreparedQuery(lambda scope, index: person_queryset(scope=scope).filter(id_number_index=index))
    person = _BY_INDEX.first(scope, index)

The queryset is still the one definition of the query (the scope's filter included): it is
built and compiled on the first call for a given *shape* (the leading arguments, here the
scope; they must be hashable and the SQL may depend on nothing else), with a marker in
place of each *value* (the trailing arguments). Later calls with the same shape take the
compiled SQL, put the values in the markers' places and run it on the thread's
connection; the rows become model instances through the compiler's own converters and
``select_related`` populators, exactly as ``QuerySet.__iter__`` makes them.

A value must reach the SQL as one parameter unchanged (a string or number compared with
``=``); the first compilation checks that each marker appears as exactly one parameter
and refuses the query otherwise. Compiled shapes are kept per thread (Django's
connections are per thread), at most ``size`` of them, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]  # where each value goes in params
    db: str
    compiler: SQLCompiler
    converters: dict[int, Any]
    init_list: tuple[str, ...]
    model_start: int
    model_end: int
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]
    col_count: int
    model: type[Model]


class PreparedQuery(Generic[M]):
    """A queryset factory ``build(*shape, *values)`` compiled once per shape (per thread)."""

    def __init__(self, build: Callable[..., QuerySet[M]], *, values: int = 1, size: int = 64) -> None:
        self._build = build
        self._values = values
        self._size = size
        self._local = threading.local()

    def all(self, *args: Any) -> list[M]:
        shape, values = args[: len(args) - self._values], args[len(args) - self._values :]
        compiled = self._compiled(tuple(shape))
        if compiled is None:  # the shape matches nothing (``.none()``)
            return []
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        with connections[compiled.db].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = [row[: compiled.col_count] for row in cursor.fetchall()]
        if compiled.converters:
            rows = [list(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]
        found: list[M] = []
        for row in rows:
            obj = compiled.model.from_db(
                compiled.db, compiled.init_list, row[compiled.model_start : compiled.model_end]
            )
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations:
                setattr(obj, name, row[position])
            found.append(obj)  # type: ignore[arg-type]
        return found

    def first(self, *args: Any) -> M | None:
        """The first row's instance (order the queryset if several rows can match)."""
        found = self.all(*args)
        return found[0] if found else None

    def _compiled(self, shape: tuple[Hashable, ...]) -> _Compiled | None:
        cache: OrderedDict[tuple[Hashable, ...], _Compiled | None] | None = getattr(self._local, "cache", None)
        if cache is None:
            cache = self._local.cache = OrderedDict()
        if shape in cache:
            cache.move_to_end(shape)
            return cache[shape]
        compiled = self._compile(shape)
        cache[shape] = compiled
        if len(cache) > self._size:
            cache.popitem(last=False)
        return compiled

    def _compile(self, shape: tuple[Hashable, ...]) -> _Compiled | None:
        markers = [f"\x00hrss-prepared-{i}\x00" for i in range(self._values)]
        queryset = self._build(*shape, *markers)
        db = queryset.db
        compiler = queryset.query.get_compiler(using=db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        slots = []
        for marker in markers:
            found = [i for i, param in enumerate(params) if param == marker]
            if len(found) != 1:
                raise ValueError(f"a prepared value must be one SQL parameter; {marker!r} is {len(found)}")
            slots.append(found[0])
        if any(isinstance(param, str) and "\x00hrss-prepared-" in param and param not in markers for param in params):
            raise ValueError("a prepared value was transformed on its way to SQL")
        klass_info = compiler.klass_info
        if klass_info is None:
            raise ValueError("a prepared query must return model instances")
        select = compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        fields = [s[0] for s in select[0 : compiler.col_count]]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            db=db,
            compiler=compiler,
            converters=compiler.get_converters(fields),
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            model_start=start,
            model_end=end,
            populators=tuple(get_related_populators(klass_info, select, db)),  # type: ignore[call-arg]  # stubs: Django 6
            annotations=tuple((compiler.annotation_col_map or {}).items()),
            col_count=compiler.col_count,
            model=klass_info["model"],
        )
