"""Appending many rows fast: one `executemany` per table for the worker's batch writes.

Django's `bulk_create` renders one SQL string per hundred rows and prepares every value on
its own; at 100k supervision steps (events and SMS) that is most of a sweep's time. Here the
statement is built once and a value repeated across rows (the sweep's `now`, its verb, a
unit) is prepared once. Only for append-only rows with no signals and nothing to return.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


def insert_rows(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, with_ids: bool = False
) -> int:
    """INSERT `rows` (column attname -> Python value) into `model`'s table; columns a row
    leaves out take the field's default, and the id is the database's unless `with_ids`
    (then every row carries its own; PostgreSQL's sequence is the caller's to reset).
    Returns how many rows were written."""
    if not rows:
        return 0
    fields = [
        field
        for field in model._meta.concrete_fields
        if with_ids
        or not (field.primary_key and isinstance(field, models.AutoField | models.BigAutoField))
    ]
    prepare = [_preparer(field) for field in fields]
    values = [
        tuple(
            prep(row[field.attname] if field.attname in row else field.get_default())
            for field, prep in zip(fields, prepare, strict=True)
        )
        for row in rows
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(rows)


def insert_objects(objects: Iterable[models.Model]) -> int:
    """INSERT unsaved model instances, grouped by model (see `insert_rows`)."""
    by_model: dict[type[models.Model], list[dict[str, Any]]] = {}
    for obj in objects:
        fields = obj._meta.concrete_fields
        row = {field.attname: getattr(obj, field.attname) for field in fields}
        by_model.setdefault(type(obj), []).append(row)
    return sum(insert_rows(model, rows) for model, rows in by_model.items())


def _preparer(field: models.Field):
    """Prepare values for the database, remembering hashable ones (they repeat across rows)."""
    seen: dict[Any, Any] = {}
    database = connections[DEFAULT_DB_ALIAS]  # the proxy `connection` costs a lookup a use

    def prepare(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            prepared = seen[value] = field.get_db_prep_save(value, database)
            return prepared
        except TypeError:  # unhashable (a dict for a JSON column)
            return field.get_db_prep_save(value, database)

    return prepare
