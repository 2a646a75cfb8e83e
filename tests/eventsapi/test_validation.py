"""``full_clean_known``: ``full_clean`` without looking up again the rows a writer holds."""

import datetime
import itertools
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from events.models import Affiliation, Event, Participant, Place
from eventsapi.validation import full_clean_known
from tests.factories import ActorFactory, EventFactory, OrganizationFactory, PlaceFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_keys_holding_saved_rows_are_not_looked_up(django_assert_num_queries):
    event, actor = EventFactory(), ActorFactory()
    participant = Participant(event=event, actor=actor, role="target")
    with django_assert_num_queries(0):
        full_clean_known(participant, validate_unique=False, unique_checked="event")
    # full_clean itself reads both rows, and the unique constraint's rows.
    with django_assert_num_queries(3):
        participant.full_clean(validate_unique=False)


def test_a_key_given_by_id_alone_is_still_looked_up():
    event = EventFactory()
    missing = Participant(event=event, actor_id="00000000-0000-0000-0000-000000000000", role="target")
    with pytest.raises(ValidationError) as error:
        full_clean_known(missing, validate_unique=False)
    assert "actor" in error.value.message_dict


def test_check_constraints_on_the_parent_still_hold():
    organization = OrganizationFactory()
    with pytest.raises(ValidationError, match="cannot be affiliated with itself"):
        full_clean_known(
            Affiliation(actor=organization, organization=organization, role="member"),
            validate_unique=False,
            unique_checked="actor",
        )


def test_the_other_checks_run_as_full_clean_runs_them():
    event = Event(title="", place=PlaceFactory(), start_date="2021-09-06", end_date="2021-09-05")
    with pytest.raises(ValidationError) as error:
        full_clean_known(event)
    with pytest.raises(ValidationError) as expected:
        event.full_clean()
    assert error.value.message_dict == expected.value.message_dict


def _check_constraints(model):
    return [c for c in model._meta.constraints if isinstance(c, models.CheckConstraint)]


def _combinations(model, values: dict[str, list]):
    names = list(values)
    for combination in itertools.product(*(values[name] for name in names)):
        yield model(**dict(zip(names, combination, strict=True)))


def test_check_constraints_evaluated_in_python_agree_with_the_database():
    from django.contrib.auth.models import User

    from claims.models import Review, Statement
    from eventsapi.validation import _holds

    day, later = datetime.date(2021, 9, 5), datetime.date(2021, 9, 6)
    organization, other = OrganizationFactory(), OrganizationFactory()
    statement = StatementFactory()
    cases = {
        Place: {"latitude": [None, 0.0, 90.0, 90.5, -91], "longitude": [None, 180, -180.5, 12.25]},
        Affiliation: {
            "actor": [organization, other],
            "organization": [organization],
            "start_date": [None, day, later],
            "end_date": [None, day, later],
        },
        Event: {"start_date": [day, later], "end_date": [None, day, later]},
        Statement: {"id": [statement.pk, uuid.uuid4()], "responds_to": [None, statement]},
        Review: {
            "event": [None, EventFactory()],
            "statement": [None, statement],
            "source": [None],
            "verdict": ["in_review", "false"],
            "rationale": ["", "Footage."],
            "reviewer": [None, User.objects.create(username="reviewer")],
            "reviewer_organization": [None, organization],
        },
    }
    compared = 0
    for model, values in cases.items():
        for instance in _combinations(model, values):
            for constraint in _check_constraints(model):
                in_python = _holds(Q(constraint.condition), instance, set()) is not False
                against = instance._get_field_expression_map(meta=model._meta)
                assert in_python == Q(constraint.condition).check(against), (constraint.name, vars(instance))
                compared += 1
    assert compared > 250
