"""The admin's duplicate report lists the API's pairs and merges one with a button."""

import pytest
from django.test import Client

from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db

REPORT = "/admin/matching/actorduplicate/"


@pytest.fixture
def admin_client(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def test_the_report_lists_pairs_and_merges_the_one_chosen(admin_client):
    kept = ActorFactory(name="Zabihullah Mujahid")
    duplicate = ActorFactory(name="Zabiullah Mujahed")
    ActorFactory(name="Someone Else")

    page = admin_client.get(REPORT)
    assert page.status_code == 200
    assert "Zabiullah Mujahed" in page.content.decode()
    assert "Someone Else" not in page.content.decode()

    merged = admin_client.post(REPORT, {"merged": str(duplicate.pk), "into": str(kept.pk)}, follow=True)
    assert merged.status_code == 200
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == kept.pk
    assert "No likely duplicates." in merged.content.decode()


def test_readers_cannot_see_the_report(reader):
    client = Client()
    client.force_login(reader)
    assert client.get(REPORT).status_code in (302, 403)
