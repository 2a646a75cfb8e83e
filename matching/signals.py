"""Every save of an actor (API, admin, merges, fixtures) rewrites its matching index rows; every
save of a statement's text, its text keys (within ``index_writes_batched``: once, at its end)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from claims.models import Statement
from events.models import Actor
from matching.services import actor_names_refresh, batched_index_writes, statement_keys_refresh


@receiver(post_save, sender=Actor, dispatch_uid="matching-actor-names")
def actor_saved(sender, instance: Actor, raw: bool = False, using: str = "default", **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"name", "aliases", "kind", "external_ids"} & set(update_fields):
        return
    batch = batched_index_writes()
    if batch is not None and batch.using == using:
        batch.actors[instance.pk] = instance
    else:
        actor_names_refresh(actors=[instance])


@receiver(post_save, sender=Statement, dispatch_uid="matching-statement-keys")
def statement_saved(sender, instance: Statement, raw: bool = False, using: str = "default", **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "text" not in update_fields:
        return
    batch = batched_index_writes()
    if batch is not None and batch.using == using:
        batch.statements[instance.pk] = instance
    else:
        statement_keys_refresh(statements=[instance], using=using)
