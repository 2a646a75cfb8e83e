"""Writes about actors, events and places that do more than save one row."""

from django.core.exceptions import ValidationError
from django.db import transaction

from events.models import Actor, Affiliation, Participant

# References to an actor that are moved by rules of their own (a participation or an
# affiliation may already exist on the survivor), not by plain reassignment.
MOVED_BY_RULE = (Participant, Affiliation)


def _references_to_actors() -> list[tuple[type, str]]:
    """Every (model, foreign key) that refers to an actor, found from the relations, so an
    app above this one (statements' speakers, sources' publishers) needs no import here."""
    return [
        (relation.related_model, relation.field.name)
        for relation in Actor._meta.related_objects
        if relation.one_to_many and not issubclass(relation.related_model, MOVED_BY_RULE)
    ]


def _reassign(queryset, **changes) -> None:
    """Change rows one by one so each gets a new version and a history record."""
    for row in queryset:
        for name, value in changes.items():
            setattr(row, name, value)
        row.save(update_fields=list(changes))


@transaction.atomic
def actor_merge(*, merged: Actor, into: Actor) -> Actor:
    """Merge a duplicate actor into the one that survives.

    Every reference moves to ``into`` (statements, participations, affiliations, published
    sources, earlier merges); the merged name and aliases become aliases of ``into``; the
    merged actor stays as a redirect (``merged_into``) so old links keep working.
    """
    merged, into = (
        Actor.objects.select_for_update().get(pk=merged.pk),
        Actor.objects.select_for_update().get(pk=into.pk),
    )
    if merged.pk == into.pk:
        raise ValidationError({"into": ["An actor cannot be merged into itself."]}, code="invalid")
    if into.merged_into_id:
        raise ValidationError(
            {"into": [f"That actor was itself merged into {into.merged_into_id}; merge into that one."]},
            code="invalid",
        )
    if merged.kind != into.kind:
        raise ValidationError({"into": [f"Cannot merge a {merged.kind} into a {into.kind}."]}, code="invalid")
    if merged.merged_into_id:
        raise ValidationError({"id": ["This actor has already been merged."]}, code="invalid")

    for model, field_name in _references_to_actors():
        # Tombstoned rows move too: restoring one must not bring back a reference to a redirect.
        rows = getattr(model, "all_objects", model._default_manager)
        _reassign(rows.filter(**{field_name: merged}), **{field_name: into})
    _move_participations(merged, into)
    _move_affiliations(merged, into)

    known_names = {into.name, *into.aliases}
    for name in [merged.name, *merged.aliases]:
        if name not in known_names:
            into.aliases.append(name)
            known_names.add(name)
    into.external_ids = {**merged.external_ids, **into.external_ids}
    if not into.description:
        into.description = merged.description
    into.save()
    merged.merged_into = into
    merged.save()
    return into


def _move_participations(merged: Actor, into: Actor) -> None:
    already = set(Participant.objects.filter(actor=into).values_list("event_id", "role"))
    for participant in Participant.objects.filter(actor=merged):
        if (participant.event_id, participant.role) in already:
            participant.delete()
        else:
            participant.actor = into
            participant.save(update_fields=["actor"])


def _move_affiliations(merged: Actor, into: Actor) -> None:
    # An affiliation between the two actors would become one of `into` with itself.
    Affiliation.objects.filter(actor=merged, organization=into).delete()
    Affiliation.objects.filter(actor=into, organization=merged).delete()
    Affiliation.objects.filter(actor=merged).update(actor=into)
    Affiliation.objects.filter(organization=merged).update(organization=into)
