"""Conditions written so that a partial index can serve them on both databases.

SQLite uses a partial index only when the query repeats the index's WHERE with the same
literal values; a bound parameter (`status IN (?, ?)`, which is how Django sends
`filter(status__in=…)`) never matches it. The sweeps and window closers read their rows
through such indexes, so they state the index condition with its values inline. Values are
the code's own constants (status codes), never user input.
"""

from collections.abc import Iterable

from django.db import connection, models
from django.db.models.expressions import RawSQL


def literal_in(model: type[models.Model], field: str, values: Iterable[str]) -> RawSQL:
    """`field IN ('a', 'b')` (or `field = 'a'`) on `model`'s table, values inline, as a
    filter expression."""
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(field).column)}"
    listed = ["'{}'".format(str(value).replace("'", "''")) for value in values]
    # One value is written as Django writes Q(field=value) in an index: `= 'a'`.
    sql = f"{column} = {listed[0]}" if len(listed) == 1 else f"{column} IN ({', '.join(listed)})"
    return RawSQL(sql, [], output_field=models.BooleanField())
