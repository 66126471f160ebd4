"""Querysets turned into SQL once per process, not on every request.

Django compiles a queryset to SQL each time it is evaluated: it resolves
every lookup, join and selected column again, 0.2–0.9 ms a statement on the
bench machine. A page that reads a dozen small querysets of a fixed shape on
every request spends a fifth of its time there: the PGA dossier 4.5 of its
~22 ms, the minutes of a tafel 3 (docs/performance.md, "Fifteenth session").

`Compiled(build)` wraps a function that builds a queryset from the values
that differ per call (ids). The first call for a shape builds it with a
stand-in for each value, compiles it and keeps the SQL with the places of the
stand-ins among its parameters; every call runs that SQL with its own values
and makes model instances as the ORM's own iterator does (`ModelIterable`:
`Model.from_db`, the populators of `select_related`, the backend's
converters, annotations), then the queryset's `prefetch_related` lookups.
The statement is the one the ORM would send, byte for byte, so the database
prepares and plans it as before (`test_compiled`).

What changes the statement's text (a rule's outcome, a flag, a role) is not
a value but part of the shape: keyword arguments, passed on to `build` and
part of the cache key. Values must be integers, passed to the database as
they are; a value that the statement does not carry unchanged is refused
when the shape is first compiled (it would otherwise run with its stand-in),
and one beyond a 64-bit integer finds no row, as in the ORM.

The compiled shapes are kept per thread (a statement is compiled against the
thread's connection): each of a worker's threads compiles a shape once and
keeps it as long as it lives (deploy/gunicorn.conf.py: one thread per worker
by default).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from functools import update_wrapper

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators

# Ids no row has (negative, within a 32-bit integer), one per value.
STAND_IN = -1_987_654_321
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


class _Plan:
    """One shape's SQL and how its rows become instances."""

    def __init__(self, queryset: QuerySet, count: int, using: str):
        self.empty = False
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            self.empty = True
            return
        stand_ins = {STAND_IN - n: n for n in range(count)}
        self.slots = [stand_ins.get(p) if type(p) is int else None for p in params]
        missing = set(range(count)) - {s for s in self.slots if s is not None}
        if missing:
            raise ValueError(
                f"value {sorted(missing)} of {queryset.model.__name__}'s "
                "statement is not one of its parameters unchanged"
            )
        self.sql, self.params = sql, list(params)
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [
            column[0].target.attname for column in select[self.start : self.end]
        ]
        self.populators = get_related_populators(klass_info, select, using)
        self.annotations = dict(compiler.annotation_col_map or {})
        self.converters = list(
            compiler.get_converters(
                [column[0] for column in select[: compiler.col_count]]
            ).items()
        )
        self.prefetch = queryset._prefetch_related_lookups

    def run(self, values: tuple, using: str) -> list:
        if self.empty:
            return []
        connection = connections[using]
        params = [
            p if slot is None else values[slot]
            for p, slot in zip(self.params, self.slots, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        objects = []
        for row in rows:
            if self.converters:
                row = list(row)
                for position, (functions, expression) in self.converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
            obj = self.model.from_db(using, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        if self.prefetch and objects:
            prefetch_related_objects(objects, *self.prefetch)
        return objects


class Compiled:
    """`build(*values, **shape)` → a queryset of model instances; calling the
    wrapper with the same arguments returns the list that evaluating it
    would, compiling each shape once per thread and database."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._local = threading.local()
        update_wrapper(self, build)

    def __call__(
        self, *values: int, using: str = DEFAULT_DB_ALIAS, **shape: Hashable
    ) -> list[Model]:
        for value in values:
            if type(value) is not int:
                raise TypeError(f"{self.build.__qualname__}: {value!r} is no id")
            if not BIGINT_MIN <= value <= BIGINT_MAX:
                # No row has it: the ORM's own answer for a value out of an
                # integer column's range (its lookups' overflow check), where
                # the database would refuse the parameter.
                return []
        plans = self._local.__dict__.setdefault("plans", {})
        key = (using, connections[using].vendor, len(values), *sorted(shape.items()))
        plan = plans.get(key)
        if plan is None:
            queryset = self.build(*(STAND_IN - n for n in range(len(values))), **shape)
            if (
                queryset._iterable_class is not ModelIterable
                or queryset._known_related_objects
            ):
                raise TypeError(
                    f"{self.build.__qualname__}: a queryset of model instances "
                    "of its manager (not of a related manager) only"
                )
            plan = plans[key] = _Plan(queryset, len(values), using)
        return plan.run(values, using)
