"""Bulk writes for imports, without Django's per-value SQL compilation.

`bulk_create` compiles every value of every row (`prepare_value`, `get_db_prep_save`)
and on SQLite splits a table's rows into statements of at most 999 variables; at import
sizes that cost more than the database's own work. Here each table gets one
`executemany` of plain tuples (on PostgreSQL one COPY), each value adapted by a function
chosen once per column from its field's type (`connection.ops.adapt_*`), and ids are
allocated up front so that parts and version snapshots can name their rows before they
are written.

Instances come from `build`, which sets what `Model.__init__` would set without its
per-field work; they are ordinary model instances afterwards (`str()`, related objects
from the cache, `save()`). `update` and `delete_where` do the same for rows that change
or go. Like `bulk_create`, nothing here sends signals or calls `save()`: callers record
outbox rows and versions themselves. A model whose rows must be stamped at every write
whatever the path (a document's `first_public_at`, catalogue/publicity.py) registers a
`before_write` hook, which `insert` and `update` call like a pre_save receiver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from operator import itemgetter
from typing import Any, TypeVar

from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

M = TypeVar("M", bound=models.Model)
Adapter = Callable[[Any], Any]
# Sets fields of instances about to be written; returns the attnames it set.
WriteHook = Callable[[Sequence[models.Model], datetime], tuple[str, ...]]
_before_write: dict[type[models.Model], WriteHook] = {}


class JSONText(str):
    """A JSONField's value encoded already (worked out ahead, in the parsing process):
    written as it is instead of encoded again."""


def before_write(model: type[models.Model], hook: WriteHook) -> None:
    """Have `insert` and `update` call `hook(objects, now)` before writing `model`'s rows."""
    _before_write[model] = hook

_INTEGER_TYPES = {"IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                  "PositiveBigIntegerField", "PositiveSmallIntegerField"}  # fmt: skip
# Types whose Python value is what the driver takes (after `to_python`, which a value of
# the right type does not change): no adapter needed. Auto fields (and the foreign keys
# to them) are never adapted by Django either.
_AS_IS_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "BooleanField",
                "FloatField", "AutoField", "BigAutoField", "SmallAutoField"}  # fmt: skip


@dataclass(frozen=True)
class _Spec:
    """What building and inserting instances of one model needs, worked out once."""

    defaults: dict[str, Any]  # attname → default, for fields with a constant default
    factories: tuple[tuple[str, Callable[[], Any]], ...]  # callable defaults
    relations: dict[str, str]  # foreign key name → attname ("document" → "document_id")
    fields: tuple[models.Field, ...]  # concrete, stored columns in table order
    plain_init: bool  # Django's own __init__, no init signal receivers: it can be bypassed


@cache
def _spec(model: type[models.Model]) -> _Spec:
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if not f.generated)
    defaults: dict[str, Any] = {}
    factories = []
    for f in fields:
        if f.has_default() and callable(f.default):
            factories.append((f.attname, f.default))
        else:
            defaults[f.attname] = f.get_default()
    relations = {f.name: f.attname for f in fields if f.is_relation}
    plain = model.__init__ is models.Model.__init__ and not (
        pre_init.has_listeners(model) or post_init.has_listeners(model)
    )
    return _Spec(defaults, tuple(factories), relations, fields, plain)


def build(model: type[M], **values: Any) -> M:
    """An unsaved instance, as `model(**values)` makes it, several times faster.

    Foreign keys may be given as instances (cached, so `str()` and attribute access
    need no query) like the model's own constructor takes them."""
    spec = _spec(model)
    if not spec.plain_init:
        return model(**values)
    data = {**spec.defaults, **values}
    for attname, factory in spec.factories:
        if attname not in values:
            data[attname] = factory()
    cached: dict[str, Any] = {}
    for name, attname in spec.relations.items():
        if name in values:
            related = cached[name] = data.pop(name)
            data[attname] = None if related is None else related.pk
    obj = model.__new__(model)
    obj.__dict__.update(data)
    obj._state = state = ModelState()
    state.fields_cache = cached
    return obj


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """The next `count` primary keys of `model`'s table, for rows about to be inserted.

    SQLite: the ids above the highest one used (and above sqlite_sequence, since
    AUTOINCREMENT never reuses an id of a deleted row, and versions still name those).
    Only safe inside a transaction: the project opens them IMMEDIATE, so no other
    writer can take the same ids; insert before allocating again for the same table.
    PostgreSQL: taken from the table's sequence, safe whatever runs alongside.
    """
    if count == 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if not connection.in_atomic_block:
                raise RuntimeError("ids can only be allocated inside a transaction")
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT MAX({quote(column)}) FROM {quote(table)}), 0),"
                " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
    raise NotImplementedError(f"allocating ids on {connection.vendor}")


def assign_ids(objects: Sequence[models.Model]) -> None:
    """Give the objects (of one model) that have no primary key yet the next ids."""
    if not objects:
        return
    meta = objects[0]._meta
    if meta.parents:  # multi-table inheritance: the pk setter also sets the parent links
        missing = [obj for obj in objects if obj.pk is None]
        for obj, pk in zip(missing, allocate_ids(type(objects[0]), len(missing)), strict=True):
            obj.pk = pk
        return
    attname = meta.pk.attname
    missing = [obj.__dict__ for obj in objects if obj.__dict__.get(attname) is None]
    for values, pk in zip(missing, allocate_ids(type(objects[0]), len(missing)), strict=True):
        values[attname] = pk


def insert(objects: Sequence[models.Model], now: datetime | None = None) -> None:
    """Insert instances of one model with one executemany, as `bulk_create` would:
    ids assigned where missing, auto_now and auto_now_add fields set to `now`."""
    if not objects:
        return
    model = type(objects[0])
    spec = _spec(model)
    assign_ids(objects)
    now = now or timezone.now()
    for f in spec.fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now if isinstance(f, models.DateTimeField) else date.today()
            for obj in objects:
                obj.__dict__[f.attname] = value
    if hook := _before_write.get(model):
        hook(objects, now)
    attnames = [f.attname for f in spec.fields]
    row_of = itemgetter(*attnames) if len(attnames) > 1 else lambda d: (d[attnames[0]],)
    insert_rows(model, attnames, [row_of(obj.__dict__) for obj in objects])
    alias = connection.alias  # read once: `connection` is a thread-local proxy
    for obj in objects:  # saved: what Django's save() leaves in the state
        obj._state.adding, obj._state.db = False, alias


def update(objects: Sequence[models.Model], attnames: Sequence[str] | None = None,
           now: datetime | None = None) -> None:  # fmt: skip
    """Write these fields (all but the primary key by default) of saved instances of one
    model with one executemany, as `save(update_fields=...)` would: auto_now fields
    among them set to `now`."""
    if not objects:
        return
    model = type(objects[0])
    now = now or timezone.now()
    if hook := _before_write.get(model):
        stamped = hook(objects, now)
        attnames = None if attnames is None else [*attnames, *stamped]
    fields = [f for f in _spec(model).fields if not f.primary_key
              and (attnames is None or f.attname in attnames)]  # fmt: skip
    for f in fields:
        if getattr(f, "auto_now", False):
            value = now if isinstance(f, models.DateTimeField) else date.today()
            for obj in objects:
                obj.__dict__[f.attname] = value
    names = [f.attname for f in fields]
    pk = model._meta.pk
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(model._meta.db_table)} "
           f"SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "
           f"WHERE {quote(pk.column)} = %s")  # fmt: skip
    rows = [[*(getattr(obj, a) for a in names), obj.pk] for obj in objects]
    _execute_many(sql, [*fields, pk], rows)


def delete_where(model: type[models.Model], attname: str, values: Sequence[Any]) -> None:
    """Delete the rows whose `attname` is one of `values`, a statement per 500 values.

    Only for tables no other row points to; anything else goes through the ORM, which
    follows cascades (and sends the delete signals)."""
    if not values:
        return
    if model._meta.related_objects:
        model._base_manager.filter(**{f"{attname}__in": values}).delete()
        return
    table, column = model._meta.db_table, _columns(model)[attname].column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(column)} IN "
                           f"({', '.join(['%s'] * len(chunk))})", chunk)  # fmt: skip


def insert_rows(model: type[models.Model], attnames: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> None:  # fmt: skip
    """Insert rows of Python values (in `attnames` order): one executemany, or on
    PostgreSQL one COPY, which takes the rows as a stream instead of a statement each."""
    meta = model._meta
    columns = _columns(model)
    fields = [columns[a] for a in attnames]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in _adapted_rows(fields, rows):
                    copy.write_row(row)
        return
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    _execute_many(sql, fields, rows)


def _execute_many(sql: str, fields: Sequence[models.Field], rows: Iterable[Sequence[Any]]) -> None:
    """executemany, each value adapted for its field (in `fields` order)."""
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(_adapted_rows(fields, rows)))


def _adapted_rows(fields: Sequence[models.Field],
                  rows: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:  # fmt: skip
    adapters = [(i, a) for i, f in enumerate(fields) if (a := _adapter(f)) is not None]
    return (_adapted(row, adapters) for row in rows) if adapters else rows


def _adapted(row: Sequence[Any], adapters: list[tuple[int, Adapter]]) -> list[Any]:
    values = list(row)
    for i, adapt in adapters:
        if values[i] is not None:
            values[i] = adapt(values[i])
    return values


@cache
def _columns(model: type[models.Model]) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


def _adapter(field: models.Field) -> Adapter | None:
    """How a value of this field becomes a driver value; None when it already is one."""
    if field.is_relation:  # a foreign key stores its target's value
        field = field.target_field
    ops = connection.ops
    kind = field.get_internal_type()
    if kind in _AS_IS_TYPES:
        return None
    if kind in _INTEGER_TYPES:
        if type(ops).adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value:
            return None
        return lambda value: ops.adapt_integerfield_value(value, kind)
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        return _same_as_last(ops.adapt_datetimefield_value)
    if kind == "TimeField":
        return ops.adapt_timefield_value
    if kind == "JSONField":
        return lambda value: (value if type(value) is JSONText
                              else field.get_db_prep_save(value, connection))  # fmt: skip
    return lambda value: field.get_db_prep_save(value, connection)


def _same_as_last(adapt: Adapter) -> Adapter:
    """`adapt`, answering at once when given the very object it was given last: every
    auto_now value of an insert is one object, and adapting an aware datetime (time
    zone conversion, settings lookups) costs more than inserting it."""
    last: tuple[Any, Any] = (object(), None)

    def adapter(value: Any) -> Any:
        nonlocal last
        seen, adapted = last
        if value is not seen:
            adapted = adapt(value)
            last = (value, adapted)
        return adapted

    return adapter
