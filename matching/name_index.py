"""The matching index's frequent lookups, as SQL.

An actor match runs two or three of these per request; built through the ORM, each cost more
in Python than the database took to answer it. The rows come back as ``selectors`` reads
them: ``(id, actor_id, actor name, form, text, folded, skeleton, romanised)``, of live, unmerged actors
only (and of one kind, when asked).
"""

from django.db import connections

from events.models import Actor
from matching.models import ActorName, ActorNameWord

NAMES_AND_ALIASES = (ActorName.Form.NAME.value, ActorName.Form.ALIAS.value)


class NameIndex:
    def __init__(self, using: str, kind: str | None = None):
        self.connection = connections[using]
        quote = self.connection.ops.quote_name
        self.names = quote(ActorName._meta.db_table)
        self.words = quote(ActorNameWord._meta.db_table)
        self.live = (
            "SELECT n.id, n.actor_id, a.name, n.form, n.text, n.folded, n.skeleton, n.romanised "
            f"FROM {self.names} n JOIN {quote(Actor._meta.db_table)} a ON a.id = n.actor_id "
            "WHERE a.deleted_at IS NULL AND a.merged_into_id IS NULL"
        )
        self.live_params: list = []
        if kind:
            self.live += " AND a.kind = %s"
            self.live_params = [kind]
        self.actor_id = Actor._meta.pk.to_python  # SQLite answers with the UUID's text

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _rows(self, condition: str, params: list, count: int) -> list[tuple]:
        rows = self._fetch(f"{self.live} AND ({condition}) LIMIT %s", [*self.live_params, *params, count])
        return [(row_id, self.actor_id(actor_id), *rest) for row_id, actor_id, *rest in rows]

    def spellings(
        self, folded: str, skeleton: str, consonants: str, romanised: bool, count: int
    ) -> list[tuple]:
        """The distinct ``(form, folded, skeleton, romanised)`` of names and aliases with these
        folded words or this skeleton, or these consonants (``""``: none) and a script other
        than Latin on one side at least, and of acronyms and initials spelt ``folded``
        (whoever's, live or not)."""
        by_consonants = "consonants = %s" if romanised else "(consonants = %s AND romanised = %s)"
        sql = (
            f"SELECT DISTINCT form, folded, skeleton, romanised FROM {self.names} "
            f"WHERE ((folded = %s OR skeleton = %s OR {by_consonants}) AND form IN (%s, %s)) "
            "OR (folded = %s AND form IN (%s, %s)) LIMIT %s"
        )
        params = [folded, skeleton, consonants or None, *([] if romanised else [True])]
        params += [*NAMES_AND_ALIASES, folded, ActorName.Form.ACRONYM, ActorName.Form.INITIALS, count]
        return self._fetch(sql, params)

    def rows_spelt(self, spellings: list[tuple], count: int) -> list[tuple]:
        condition = " OR ".join(
            ["(n.form = %s AND n.folded = %s AND n.skeleton = %s AND n.romanised = %s)"] * len(spellings)
        )
        return self._rows(condition, [value for spelling in spellings for value in spelling], count)

    def rows_with_word(self, skeleton: str, count: int) -> list[tuple]:
        """Rows of the names and aliases with a word of this skeleton. The word rows are read
        first: joined the other way round, PostgreSQL walks the names in id order to meet them."""
        condition = f"n.id IN (SELECT name_id FROM {self.words} WHERE skeleton = %s LIMIT %s)"
        return self._rows(condition, [skeleton, count], count)

    def rows_with_id(self, key: str, count: int) -> list[tuple]:
        """Rows of the handles and ids with this key (``@nrfafg``, ``twitter:nrfafg``)."""
        return self._rows("n.folded = %s AND n.form = %s", [key, ActorName.Form.ID], count)
