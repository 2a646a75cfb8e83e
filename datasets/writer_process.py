"""The import's writer process (datasets.writer): ``python -m datasets.writer_process``.

Reads pickled messages on its standard input: first ``(database settings, session
settings, user id)``, then ``(scheme, entries)`` (``datasets.bulk.Entry``, a row and its
plan), whose records are built (``bulk.build``: the checks run here) and written
(``bulk.write``), each answered ``(outcome, detail)`` on its standard output; ``None`` ends.
"""

import os
import pickle
import sys


def receive(inbox):
    """The next message: its length (8 bytes), then its pickle, read whole before loading."""
    head = inbox.read(8)
    if len(head) < 8:
        raise EOFError
    size = int.from_bytes(head, "big")
    data = inbox.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def serve(inbox, outbox) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, IntegrityError, connections

    from datasets import bulk

    def answer(outcome: str, detail) -> None:
        pickle.dump((outcome, detail), outbox, protocol=pickle.HIGHEST_PROTOCOL)
        outbox.flush()

    settings_dict, session, user_id = receive(inbox)
    default = connections["default"]
    default.settings_dict.update(settings_dict)
    with default.cursor() as cursor:
        for name, value in session.items():
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
    user = get_user_model().objects.get(pk=user_id) if user_id is not None else None
    try:
        while (message := receive(inbox)) is not None:
            scheme, entries = message
            try:
                batch, refused = bulk.build(scheme, entries)
                if batch.records:
                    bulk.write(batch, user)
            except IntegrityError:
                answer("conflict", [])  # another writer (or an earlier row) holds a key
            except DatabaseError as error:
                answer("error", str(error))
            except Exception as error:  # reported to the importer, which stops with it
                answer("error", f"{type(error).__name__}: {error}")
            else:
                answer("written", refused)
    except (EOFError, KeyboardInterrupt):
        pass  # the importer is gone, or stopped by its user
    finally:
        connections.close_all()


def main() -> None:
    # The answers have standard output to themselves: anything printed goes to stderr.
    outbox = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, outbox)


if __name__ == "__main__":
    main()
