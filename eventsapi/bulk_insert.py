"""Inserting many new rows at once: PostgreSQL's ``COPY``, Django's ``bulk_create`` elsewhere.

``bulk_create`` prepares every value of every row in Python (``get_db_prep_save``) and
psycopg then quotes each one into the statement: most of a large insert's time. ``COPY``
hands psycopg's C code the rows as they are. It fires the tables' row triggers (the claim
summary's) as an INSERT does.

The instances given here must be checked already (``full_clean``, which leaves each field's
value in its Python type); nothing is read back (no ``RETURNING``), so ids are the model's
own defaults (UUIDs), never a sequence's, except where the caller leaves a serial column
out (history rows).
"""

import json
from operator import attrgetter

from django.db import connections, models
from django.utils import timezone
from psycopg import sql


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    """``COPY table (columns) FROM STDIN`` with ``rows`` (tuples in column order) on a
    Django cursor of a PostgreSQL connection. JSON values must be text already."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    # Django's wrapper turns psycopg's errors into Django's (IntegrityError...), as for execute().
    with cursor.db.wrap_database_errors, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _stored(field: models.Field) -> bool:
    return not isinstance(field, models.GeneratedField)


def _rows(instances: list, fields: list[models.Field], constants: tuple = ()):
    """Each instance's values of ``fields`` (read in C by one ``attrgetter``; JSON as text),
    followed by ``constants``, the same for every row."""
    getter = attrgetter(*(field.attname for field in fields))
    encoders = [
        (index, field.encoder) for index, field in enumerate(fields) if isinstance(field, models.JSONField)
    ]
    for instance in instances:
        values = getter(instance)
        row = (values if len(fields) > 1 else (values,)) + constants
        yield _json_as_text(row, encoders) if encoders else row


def _fill_timestamps(model, instances: list, now) -> None:
    """What ``pre_save`` gives a new row's ``auto_now`` and ``auto_now_add`` fields."""
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for instance in instances:
                setattr(instance, field.attname, now)


def insert_instances(model, instances: list, *, using: str = "default", now=None) -> None:
    """Insert new, checked ``instances`` of ``model`` (no signals, no ``RETURNING``)."""
    if not instances:
        return
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._default_manager.db_manager(using).bulk_create(instances, batch_size=1000)
        return
    _fill_timestamps(model, instances, now or timezone.now())
    fields = [
        field
        for field in model._meta.concrete_fields
        if _stored(field) and not (field.primary_key and getattr(instances[0], field.attname) is None)
    ]  # a serial key left out is the table's to number
    with connection.cursor() as cursor:
        copy_rows(cursor, model._meta.db_table, [field.column for field in fields], _rows(instances, fields))


def insert_rows(model, attnames: tuple[str, ...], rows: list[tuple], *, using: str = "default") -> None:
    """Insert ``rows`` of plain values for ``attnames`` (the rest take the table's defaults:
    for link and index tables, whose rows need no checks and no model instances). JSON values
    are given as Python values, as to a model."""
    if not rows:
        return
    connection = connections[using]
    if connection.vendor != "postgresql":
        manager = model._default_manager.db_manager(using)
        manager.bulk_create([model(**dict(zip(attnames, row, strict=True))) for row in rows], batch_size=1000)
        return
    fields = {field.attname: field for field in model._meta.concrete_fields}
    encoders = [
        (index, fields[name].encoder)
        for index, name in enumerate(attnames)
        if isinstance(fields[name], models.JSONField)
    ]
    if encoders:
        rows = [_json_as_text(row, encoders) for row in rows]
    with connection.cursor() as cursor:
        copy_rows(cursor, model._meta.db_table, [fields[name].column for name in attnames], rows)


def _json_as_text(row, encoders: list) -> tuple:
    """``row`` with its JSON values as the text COPY takes."""
    row = list(row)
    for index, encoder in encoders:
        if row[index] is not None:
            row[index] = json.dumps(row[index], cls=encoder)
    return tuple(row)


def insert_first_versions(model, instances: list, *, user=None, date, using: str = "default") -> None:
    """The history's first version (``+``) of each new instance, as ``bulk_history_create``
    writes it: the tracked fields, ``date``, ``user``, no change reason."""
    connection = connections[using]
    historical = model.history.model
    if connection.vendor != "postgresql":
        model.history.bulk_history_create(instances, batch_size=1000, default_user=user, default_date=date)
        return
    constants = {
        "history_date": date,
        "history_change_reason": "",
        "history_type": "+",
        "history_user_id": user.pk if user is not None else None,
    }
    tracked = {field.attname for field in historical.tracked_fields}
    fields, constant_fields = [], []
    for field in historical._meta.concrete_fields:
        if field.primary_key or not _stored(field):
            continue  # history_id is the table's serial
        if field.attname in constants:
            constant_fields.append(field)
        elif field.attname in tracked:
            fields.append(field)
        else:
            raise ValueError(f"{historical.__name__}.{field.attname} has no value for a first version")
    with connection.cursor() as cursor:
        copy_rows(
            cursor,
            historical._meta.db_table,
            [field.column for field in fields + constant_fields],
            _rows(instances, fields, tuple(constants[field.attname] for field in constant_fields)),
        )
