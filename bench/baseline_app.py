"""The floor: the first page of 100 events from hand-written SQL, psycopg and orjson.

A WSGI app with no framework that answers ``GET /api/v1/events/?page_size=100`` with the
same JSON as the API (same fields, links, counts and ``next`` cursor) from two queries,
the way one would write them by hand: the page with its place and its stored claim summary,
then its participants, with the API's connection settings. The benchmark runs it beside
the API; what the API costs beyond it is the framework's. ``DATABASE_URL`` names the database
(PostgreSQL only).

    gunicorn -w 5 -b 127.0.0.1:8001 bench.baseline_app:application
"""

import base64
import os
from collections import defaultdict
from urllib.parse import urlencode

import orjson
import psycopg

PAGE_SIZE = 100

EVENTS_SQL = """
SELECT e.id, e.version, e.created_at, e.updated_at, e.title, e.summary, e.event_type,
       e.start_date, e.end_date, e.date_precision, p.id, p.name, e.verification_status,
       e.contested, e.statement_count, e.supporting_count, e.refuting_count, e.external_ids,
       e.fatalities, e.sub_event_type, e.dataset_attributes
FROM events_event e
LEFT JOIN events_place p ON p.id = e.place_id
WHERE e.deleted_at IS NULL
ORDER BY e.start_date DESC, e.id
LIMIT %s
"""

PARTICIPANTS_SQL = """
SELECT pa.event_id, a.id, a.name, pa.role
FROM events_participant pa JOIN events_actor a ON a.id = pa.actor_id
WHERE pa.event_id = ANY(%s)
ORDER BY pa.id
"""

_connection = None


def _database():
    global _connection
    if _connection is None or _connection.closed:
        url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/eventsapi_bench")
        # The API's connection settings (eventsapi/settings.py): UTC, and no parallel workers,
        # which a 2-core machine serving many requests at once has no cores for.
        workers = int(os.environ.get("PG_MAX_PARALLEL_WORKERS_PER_GATHER", "0") or 0)
        _connection = psycopg.connect(
            url, autocommit=True, options=f"-c TimeZone=UTC -c max_parallel_workers_per_gather={workers}"
        )
    return _connection


def _cursor_token(start_date, event_id) -> str:
    """The API's keyset cursor (eventsapi.api.pagination) after the row."""
    payload = orjson.dumps({"p": [start_date.isoformat(), str(event_id)], "r": 0})
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def first_page(origin: str) -> bytes:
    """The JSON body of the first page of 100 events; ``origin`` is ``http://host:port``."""
    with _database().cursor() as cursor:
        cursor.execute(EVENTS_SQL, [PAGE_SIZE + 1])
        rows = cursor.fetchall()
        page = rows[:PAGE_SIZE]
        cursor.execute(PARTICIPANTS_SQL, [[row[0] for row in page]])
        participants = defaultdict(list)
        for event_id, actor_id, name, role in cursor:
            participants[event_id].append(
                {
                    "actor": {"id": actor_id, "url": f"{origin}/api/v1/actors/{actor_id}/", "name": name},
                    "role": role,
                }
            )
    results = [
        {
            "id": row[0],
            "url": f"{origin}/api/v1/events/{row[0]}/",
            "version": row[1],
            "created_at": row[2],
            "updated_at": row[3],
            "title": row[4],
            "summary": row[5],
            "event_type": row[6],
            "start_date": row[7],
            "end_date": row[8],
            "date_precision": row[9],
            "place": None
            if row[10] is None
            else {"id": row[10], "url": f"{origin}/api/v1/places/{row[10]}/", "name": row[11]},
            "participants": participants.get(row[0], []),
            "fatalities": row[18],
            "sub_event_type": row[19],
            # jsonb arrives as text where Django's loader is registered (the tests' process).
            "external_ids": orjson.loads(row[17]) if isinstance(row[17], str) else row[17],
            "dataset_attributes": orjson.loads(row[20]) if isinstance(row[20], str) else row[20],
            "verification_status": row[12],
            "contested": row[13],
            "statement_count": row[14],
            "supporting_count": row[15],
            "refuting_count": row[16],
        }
        for row in page
    ]
    next_link = None
    if len(rows) > PAGE_SIZE:
        query = urlencode([("cursor", _cursor_token(page[-1][7], page[-1][0])), ("page_size", PAGE_SIZE)])
        next_link = f"{origin}/api/v1/events/?{query}"
    return orjson.dumps({"next": next_link, "previous": None, "results": results}, option=orjson.OPT_UTC_Z)


def application(environ, start_response):
    if environ["REQUEST_METHOD"] != "GET" or environ["PATH_INFO"] != "/api/v1/events/":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]
    origin = f"{environ['wsgi.url_scheme']}://{environ['HTTP_HOST']}"
    body = first_page(origin)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
