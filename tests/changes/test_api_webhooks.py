"""/api/v1/webhooks/: editors manage their own subscriptions, superusers all; secrets stay secret."""

import pytest

from changes.models import Webhook
from changes.services import webhook_create
from tests.api_cases import assert_problem, assert_validation_error
from tests.conftest import _client_for, _user
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhooks/"
TARGET = "http://127.0.0.1:9/hooks"


def subscribe(client, **fields):
    return client.post(WEBHOOKS, {"target_url": TARGET, **fields})


def test_an_editor_subscribes_and_sees_the_secret_only_in_the_create_response(editor_client):
    created = subscribe(editor_client, resources=["events", "statements"], actions=["created"])

    assert created.status_code == 201, created.content
    body = created.json()
    assert len(body["secret"]) >= 32
    assert body["resources"] == ["events", "statements"]
    assert body["actions"] == ["created"]
    assert body["owner"] == "editor"
    assert body["active"] is True
    assert Webhook.objects.get(pk=body["id"]).secret == body["secret"]
    for response in (
        editor_client.get(body["url"]),
        editor_client.get(WEBHOOKS),
        editor_client.patch(body["url"], {"actions": []}),
    ):
        assert "secret" not in str(response.json()), response.json()


def test_a_secret_given_at_creation_is_kept_and_can_be_rotated(editor_client):
    body = subscribe(editor_client, secret="a-secret-of-our-own-choosing").json()
    assert body["secret"] == "a-secret-of-our-own-choosing"

    rotated = editor_client.patch(body["url"], {"secret": "rotated-secret-0123456789"})

    assert rotated.status_code == 200
    assert "secret" not in rotated.json()
    assert Webhook.objects.get(pk=body["id"]).secret == "rotated-secret-0123456789"


def test_a_new_webhook_starts_at_the_end_of_the_feed(editor_client):
    PlaceFactory.create_batch(3)

    body = subscribe(editor_client).json()

    assert body["last_delivered_seq"] == 3


def test_editors_see_only_their_own_webhooks_and_superusers_see_all(editor, superuser_client):
    mine = webhook_create(owner=editor, target_url=TARGET)
    other_editor = _user("other-editor", "editors")
    theirs = webhook_create(owner=other_editor, target_url=TARGET)
    other_client = _client_for(other_editor)

    assert [hook["id"] for hook in other_client.get(WEBHOOKS).json()["results"]] == [str(theirs.pk)]
    assert_problem(other_client.get(f"{WEBHOOKS}{mine.pk}/"), 404)
    assert_problem(other_client.patch(f"{WEBHOOKS}{mine.pk}/", {"active": False}), 404)
    assert_problem(other_client.delete(f"{WEBHOOKS}{mine.pk}/"), 404)
    assert_problem(other_client.get(f"{WEBHOOKS}{mine.pk}/deliveries/"), 404)
    listed = {hook["id"] for hook in superuser_client.get(WEBHOOKS).json()["results"]}
    assert listed == {str(mine.pk), str(theirs.pk)}


def test_readers_are_refused_with_403_and_anonymous_clients_with_401(reader_client, api_client, editor):
    hook = webhook_create(owner=editor, target_url=TARGET)

    assert_problem(reader_client.get(WEBHOOKS), 403)
    assert_problem(subscribe(reader_client), 403)
    assert_problem(reader_client.get(f"{WEBHOOKS}{hook.pk}/"), 403)
    assert_problem(api_client.get(WEBHOOKS), 401)
    assert_problem(subscribe(api_client), 401)


def test_an_editor_deletes_a_webhook(editor_client):
    body = subscribe(editor_client).json()

    assert editor_client.delete(body["url"]).status_code == 204
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    "target_url",
    [
        "http://127.0.0.1/hooks",
        "http://localhost:8000/hooks",
        "http://[::1]/hooks",
        "http://10.0.0.5/hooks",
        "http://192.168.1.10/hooks",
        "http://172.16.0.1/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hooks",
        "http://0.0.0.0/hooks",
        "http://224.0.0.1/hooks",
        "http://[::ffff:127.0.0.1]/hooks",
        "http://[fe80::1]/hooks",
    ],
)
def test_targets_on_loopback_link_local_or_private_addresses_are_refused(editor_client, settings, target_url):
    settings.EVENTSAPI_WEBHOOK_ALLOW_PRIVATE = False

    error = assert_validation_error(subscribe(editor_client, target_url=target_url), "target_url")

    assert error["code"] == "refused"


def test_a_public_address_is_accepted_even_when_private_ones_are_refused(editor_client, settings):
    settings.EVENTSAPI_WEBHOOK_ALLOW_PRIVATE = False

    assert subscribe(editor_client, target_url="https://93.184.215.14/hooks").status_code == 201


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("target_url", "ftp://127.0.0.1/hooks", "target_url"),
        ("target_url", "not a url", "target_url"),
        ("resources", ["places", "people"], "resources[1]"),
        ("actions", ["vanished"], "actions[0]"),
        ("secret", "short", "secret"),
    ],
)
def test_invalid_fields_are_a_400_naming_them(editor_client, field, value, path):
    assert_validation_error(subscribe(editor_client, **{field: value}), path)


def test_a_paused_webhook_is_resumed_by_patching_active_or_by_the_resume_action(editor_client, editor):
    hook = webhook_create(owner=editor, target_url=TARGET)
    paused = {"active": False, "consecutive_failures": 8}
    Webhook.objects.filter(pk=hook.pk).update(paused_at="2026-01-01T00:00:00Z", **paused)

    patched = editor_client.patch(f"{WEBHOOKS}{hook.pk}/", {"active": True}).json()

    assert (patched["active"], patched["paused_at"], patched["consecutive_failures"]) == (True, None, 0)
    Webhook.objects.filter(pk=hook.pk).update(paused_at="2026-01-01T00:00:00Z", **paused)
    resumed = editor_client.post(f"{WEBHOOKS}{hook.pk}/resume/")
    assert resumed.status_code == 200
    assert (resumed.json()["active"], resumed.json()["paused_at"]) == (True, None)
