"""The import's writer process (datasets.writer). This module imports nothing of Django's
at its top: a spawned process loads it before Django is set up."""


def serve(pipe, settings_dict: dict, session: dict, user_id) -> None:
    """The writer process: Django set up afresh, then ``bulk.write`` for each batch received,
    answering ``(outcome, message)``, until ``None`` arrives."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, IntegrityError, connections

    from datasets import bulk

    default = connections["default"]
    default.settings_dict.update(settings_dict)
    with default.cursor() as cursor:
        for name, value in session.items():
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
    user = get_user_model().objects.get(pk=user_id) if user_id is not None else None
    try:
        while (batch := pipe.recv()) is not None:
            try:
                bulk.write(batch, user)
            except IntegrityError:
                pipe.send(("conflict", ""))  # another writer (or an earlier row) holds a key
            except DatabaseError as error:
                pipe.send(("error", str(error)))
            except Exception as error:  # reported to the importer, which stops with it
                pipe.send(("error", f"{type(error).__name__}: {error}"))
            else:
                pipe.send(("written", ""))
    except (EOFError, KeyboardInterrupt):
        pass  # the importer is gone, or stopped by its user
    finally:
        connections.close_all()
