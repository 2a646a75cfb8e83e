"""Full-text search, the ``q`` parameter of every list.

On PostgreSQL every word of the query must match the start of a word of the record, with
the ``eventsapi_search`` configuration (case and accents folded, created in the migrations)
and the GIN indexes built over exactly the same document expression. SQLite has neither:
every word must appear somewhere in the record's text, both folded the same way
(``folded``, registered as an SQLite function when a connection opens).
"""

import re
import unicodedata

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, TextField, Value

SEARCH_WORD = re.compile(r"[^\W_]+")
SEARCH_CONFIGURATION = "eventsapi_search"


class _SearchText(Func):
    template = "COALESCE(%(expressions)s, '')"
    output_field = TextField()


class _SearchListText(Func):
    """A JSON list of strings as searchable text (its JSON text on PostgreSQL, as indexed)."""

    template = "COALESCE((%(expressions)s)::text, '')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(SELECT group_concat(value, ' ') FROM json_each(%(expressions)s))",
            **extra_context,
        )


class _SearchDocument(Func):
    arg_joiner = " || ' ' || "
    template = f"to_tsvector('{SEARCH_CONFIGURATION}'::regconfig, %(expressions)s)"


class _SearchMatches(Func):
    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = BooleanField()


class _SearchQuery(Func):
    template = f"to_tsquery('{SEARCH_CONFIGURATION}'::regconfig, %(expressions)s)"


def search_words(text: str) -> list[str]:
    return SEARCH_WORD.findall(text.lower())


def folded(text: str | None) -> str:
    """``text`` lower-cased without accents (``Moçambique`` -> ``mocambique``), as PostgreSQL's
    search configuration reads it; SQLite calls it as the function ``eventsapi_fold``."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class _Folded(Func):
    function = "eventsapi_fold"
    output_field = TextField()


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite gets ``eventsapi_fold`` (see ``folded``)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("eventsapi_fold", 1, folded, deterministic=True)


def search(
    queryset: QuerySet, text: str, fields: tuple[str, ...], list_fields: tuple[str, ...] = ()
) -> QuerySet:
    """Records whose text matches every word of ``text``."""
    words = search_words(text)
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        document = _SearchDocument(
            *[_SearchText(F(name)) for name in fields], *[_SearchListText(F(name)) for name in list_fields]
        )
        tsquery = " & ".join(f"'{word}':*" for word in words)
        return queryset.filter(_SearchMatches(document, _SearchQuery(Value(tsquery))))
    aliases = {f"search_{name}": _Folded(F(name)) for name in fields}
    aliases |= {f"search_{name}": _Folded(_SearchListText(F(name))) for name in list_fields}
    queryset = queryset.alias(**aliases)
    for word in words:
        matches = Q()
        for column in aliases:
            matches |= Q(**{f"{column}__contains": folded(word)})
        queryset = queryset.filter(matches)
    return queryset


def search_any(queryset: QuerySet, words: list[str], fields: tuple[str, ...]) -> QuerySet:
    """Records whose text holds at least one of ``words`` (whole words on PostgreSQL)."""
    words = [word for text in words for word in search_words(text)]
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        document = _SearchDocument(*[_SearchText(F(name)) for name in fields])
        tsquery = " | ".join(f"'{word}'" for word in words)
        return queryset.filter(_SearchMatches(document, _SearchQuery(Value(tsquery))))
    aliases = {f"search_{name}": _Folded(F(name)) for name in fields}
    matches = Q()
    for word in words:
        for column in aliases:
            matches |= Q(**{f"{column}__contains": folded(word)})
    return queryset.alias(**aliases).filter(matches)
