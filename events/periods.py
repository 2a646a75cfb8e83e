"""The first and last day of the calendar month or year that contains a date, in SQL.

``Event`` stores its effective date range as generated columns built from these, so they
compile to deterministic expressions on both backends (a generated column, and an index
on it, accepts nothing else): SQLite's ``date()`` modifiers and PostgreSQL's
``date_trunc`` over a timestamp without time zone.
"""

from django.db.models import DateField, Func

PERIOD_UNITS = ("month", "year")


class _PeriodBound(Func):
    output_field = DateField()
    sqlite_modifiers: dict[str, str] = {}
    postgresql_offsets: dict[str, str] = {}

    def __init__(self, expression, unit: str):
        if unit not in PERIOD_UNITS:
            raise ValueError(f"unit must be one of {PERIOD_UNITS}, not {unit!r}")
        self.unit = unit
        super().__init__(expression)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s, " + self.sqlite_modifiers[self.unit] + ")",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=f"(date_trunc('{self.unit}', (%(expressions)s)::timestamp)"
            + self.postgresql_offsets[self.unit]
            + ")::date",
            **extra_context,
        )


class PeriodStart(_PeriodBound):
    """The first day of the month or year containing the date."""

    sqlite_modifiers = {"month": "'start of month'", "year": "'start of year'"}
    postgresql_offsets = {"month": "", "year": ""}


class PeriodEnd(_PeriodBound):
    """The last day of the month or year containing the date."""

    sqlite_modifiers = {
        "month": "'start of month', '+1 month', '-1 day'",
        "year": "'start of year', '+1 year', '-1 day'",
    }
    postgresql_offsets = {"month": " + interval '1 month - 1 day'", "year": " + interval '1 year - 1 day'"}
