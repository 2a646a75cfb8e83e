"""The Python SDK generated from openapi.yaml, driven through a newsroom scenario.

The client is generated as `make sdk` does (openapi-python-client, no warnings allowed) into a
temporary folder and imported from there; the server is a real gunicorn (tests/live_server.py)
on the suite's database engine.
"""

import datetime
import importlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.test import override_settings

from tests.live_server import PROJECT_DIR, live_api_on_suite_database, manage, server_environment

pytestmark = pytest.mark.django_db(transaction=True)

VENV_BIN = Path(sys.executable).parent
USERNAME, PASSWORD = "newsroom-sdk", "a long sdk test password"
CREATE_USER = f"""
from django.contrib.auth.models import Group, User
from eventsapi.api.permissions import EDITORS_GROUP, VERIFIERS_GROUP
user = User.objects.create_user({USERNAME!r}, password={PASSWORD!r})
for name in (EDITORS_GROUP, VERIFIERS_GROUP):
    user.groups.add(Group.objects.get_or_create(name=name)[0])
"""


def generate_sdk(output: Path) -> str:
    """Run openapi-python-client as `make sdk` does; return what it printed."""
    result = subprocess.run(
        [
            str(VENV_BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(PROJECT_DIR / "openapi.yaml"),
            "--output-path",
            str(output),
            "--overwrite",
            "--fail-on-warning",
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    printed = result.stdout + result.stderr
    assert result.returncode == 0, printed
    return printed


@pytest.fixture(scope="module")
def sdk(tmp_path_factory):
    output = tmp_path_factory.mktemp("sdk") / "python"
    printed = generate_sdk(output)
    assert "warning" not in printed.lower(), printed
    sys.path.insert(0, str(output))
    try:
        yield importlib.import_module("eventsapi_client")
    finally:
        sys.path.remove(str(output))
        for name in [name for name in sys.modules if name.split(".")[0] == "eventsapi_client"]:
            del sys.modules[name]


def _create_newsroom_user(folder: Path) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        # The server shares this (committed) test database; hash as the server checks.
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
            exec(CREATE_USER)
    else:
        manage(
            "shell", "-c", CREATE_USER, env=server_environment(f"sqlite:///{folder / 'db.sqlite3'}", folder)
        )


@pytest.fixture
def server(tmp_path):
    (tmp_path / "prometheus").mkdir()  # gunicorn --preload loads prometheus_client first
    with live_api_on_suite_database(tmp_path, workers=2, threads=2) as (live, _token):
        _create_newsroom_user(tmp_path)
        yield live


def test_newsroom_scenario_through_the_generated_python_sdk(sdk, server):
    from eventsapi_client import AuthenticatedClient, Client
    from eventsapi_client.api.actors import actors_create, actors_match
    from eventsapi_client.api.auth import auth_token_create
    from eventsapi_client.api.bundles import bundles_create
    from eventsapi_client.api.drafts import drafts_commit, drafts_create, drafts_partial_update
    from eventsapi_client.api.events import (
        events_create,
        events_list,
        events_partial_update,
        events_retrieve,
        events_reviews_create,
        events_timeline,
    )
    from eventsapi_client.api.places import places_create
    from eventsapi_client.api.sources import sources_create
    from eventsapi_client.api.statements import statements_create, statements_match, statements_similar
    from eventsapi_client.models import (
        ActorKindEnum,
        ActorRequest,
        AffiliationRequest,
        BundleRequest,
        BundleResultStatusEnum,
        ChangeResourceEnum,
        CreateOperationOpEnum,
        CreateOperationRequest,
        CreateOperationRequestData,
        CreateOperationRequestMatch,
        CredentialsRequest,
        DraftCreateRequest,
        DraftStatusEnum,
        EventRequest,
        EventTypeEnum,
        ParticipantRequest,
        ParticipantRoleEnum,
        PatchedDraftUpdateRequest,
        PatchedEventRequest,
        PlaceKindEnum,
        PlaceRequest,
        Problem,
        ReviewRequest,
        SourceKindEnum,
        SourceRequest,
        StanceEnum,
        StanceRequest,
        StatementChangeRequest,
        StatementMatchQueryRequest,
        StatementRequest,
        UpsertOperationOpEnum,
        UpsertOperationRequest,
        UpsertOperationRequestData,
        UpsertOperationRequestMatch,
        VerificationStatusEnum,
    )

    # A token for the newsroom user (an editor and a verifier).
    token = auth_token_create.sync(
        client=Client(base_url=server.url), body=CredentialsRequest(username=USERNAME, password=PASSWORD)
    )
    assert token.expires_at > datetime.datetime.now(datetime.UTC)
    api = AuthenticatedClient(
        base_url=server.url, token=token.token, prefix="Token", raise_on_unexpected_status=True
    )

    # A place, the actors, a source.
    place = places_create.sync(
        client=api,
        body=PlaceRequest(
            name="Bazarak", kind=PlaceKindEnum.LOCALITY, country_code="af", latitude=35.31, longitude=69.52
        ),
    )
    assert place.country_code == "AF"
    taliban = actors_create.sync(
        client=api, body=ActorRequest(name="Taliban", kind=ActorKindEnum.ORGANIZATION)
    )
    nrf = actors_create.sync(
        client=api, body=ActorRequest(name="National Resistance Front", kind=ActorKindEnum.ORGANIZATION)
    )
    mujahid = actors_create.sync(
        client=api,
        body=ActorRequest(
            name="Zabihullah Mujahid",
            kind=ActorKindEnum.PERSON,
            aliases=["Zabihullah Mojaheed"],
            affiliations=[AffiliationRequest(organization=taliban.id, role="spokesperson")],
        ),
    )
    assert mujahid.affiliations[0].organization.name == "Taliban"
    tweet = sources_create.sync(
        client=api,
        body=SourceRequest(
            url=f"https://twitter.com/nrfafg/status/{uuid.uuid4().int % 10**18}?utm_source=sdk",
            kind=SourceKindEnum.SOCIAL_POST,
            publisher=nrf.id,
            published_at=datetime.datetime(2021, 9, 6, 9, 0, tzinfo=datetime.UTC),
        ),
    )
    assert "utm_source" not in tweet.url

    # The event and two statements taking opposite stances on it.
    event = events_create.sync(
        client=api,
        body=EventRequest(
            title="Claimed fall of Bazarak",
            event_type=EventTypeEnum.STRATEGIC_DEVELOPMENT,
            start_date=datetime.date(2021, 9, 6),
            place=place.id,
            participants=[ParticipantRequest(actor=taliban.id, role=ParticipantRoleEnum.INITIATOR)],
        ),
    )
    claim = statements_create.sync(
        client=api,
        body=StatementRequest(
            text="Panjshir has been completely captured.",
            speaker=mujahid.id,
            stated_on=datetime.date(2021, 9, 6),
            about=[StanceRequest(event=event.id, stance=StanceEnum.SUPPORTS)],
        ),
    )
    denial = statements_create.sync(
        client=api,
        body=StatementRequest(
            text="The claim of occupying Panjshir is false.",
            speaker=nrf.id,
            stated_on=datetime.date(2021, 9, 6),
            sources=[tweet.id],
            about=[StanceRequest(event=event.id, stance=StanceEnum.REFUTES)],
            responds_to=claim.id,
        ),
    )
    assert denial.responds_to.id == claim.id

    # A verdict from the verifier.
    review = events_reviews_create.sync(
        client=api,
        id=event.id,
        body=ReviewRequest(
            verdict=VerificationStatusEnum.UNVERIFIABLE,
            rationale="Neither side's footage could be verified.",
            evidence=[tweet.id],
        ),
    )
    assert review.previous_status == VerificationStatusEnum.UNVERIFIED

    # Filter by date, place (the country contains the locality) and verification state.
    page = events_list.sync(
        client=api,
        date_from=datetime.date(2021, 9, 1),
        date_to=datetime.date(2021, 9, 30),
        place=place.id,
        verification_status=[VerificationStatusEnum.UNVERIFIABLE],
    )
    assert [item.id for item in page.results] == [event.id]
    (found,) = page.results
    assert found.contested is True
    assert (found.supporting_count, found.refuting_count) == (1, 1)
    empty = events_list.sync(
        client=api, place=place.id, verification_status=[VerificationStatusEnum.VERIFIED]
    )
    assert empty.results == []

    # The timeline: both statements, the source and the review.
    timeline = events_timeline.sync(client=api, id=event.id)
    assert timeline.event.id == event.id
    kinds = [entry.type_.value for entry in timeline.results]
    assert sorted(kinds) == ["review", "source", "statement", "statement"]
    stances = {entry.id: entry.stance for entry in timeline.results if entry.type_.value == "statement"}
    assert stances == {claim.id: "supports", denial.id: "refutes"}

    # Concurrency: a PATCH with the ETag read succeeds; the same stale ETag again is a 412.
    read = events_retrieve.sync_detailed(client=api, id=event.id)
    etag = read.headers["ETag"]
    renamed = events_partial_update.sync_detailed(
        client=api, id=event.id, body=PatchedEventRequest(summary="Both sides claim Bazarak."), if_match=etag
    )
    assert renamed.status_code == 200
    assert renamed.headers["ETag"] != etag
    stale = events_partial_update.sync_detailed(
        client=api, id=event.id, body=PatchedEventRequest(summary="Lost update"), if_match=etag
    )
    assert stale.status_code == 412
    assert isinstance(stale.parsed, Problem)
    assert stale.parsed.status == 412
    assert events_retrieve.sync(client=api, id=event.id).summary == "Both sides claim Bazarak."

    # A bundle: a new source and a statement citing it by local id, about the same event;
    # posted twice, the second time everything is matched and nothing is written.
    bundle = BundleRequest(
        operations=[
            UpsertOperationRequest(
                op=UpsertOperationOpEnum.UPSERT,
                resource=ChangeResourceEnum.SOURCES,
                lid="clip",
                match=UpsertOperationRequestMatch.from_dict(
                    {"url": "https://video.example.org/bazarak-clip"}
                ),
                data=UpsertOperationRequestData.from_dict({"kind": "video", "title": "Clip from Bazarak"}),
            ),
            CreateOperationRequest(
                op=CreateOperationOpEnum.CREATE,
                resource=ChangeResourceEnum.STATEMENTS,
                match=CreateOperationRequestMatch.from_dict(
                    {
                        "speaker": str(mujahid.id),
                        "text": "The clip shows our flag.",
                        "stated_on": "2021-09-06",
                    }
                ),
                data=CreateOperationRequestData.from_dict(
                    {"sources": [{"lid": "clip"}], "about": [{"event": str(event.id), "stance": "supports"}]}
                ),
            ),
        ]
    )
    posted = bundles_create.sync_detailed(client=api, body=bundle)
    assert posted.status_code == 201
    assert [result.status for result in posted.parsed.results] == [BundleResultStatusEnum.CREATED] * 2
    again = bundles_create.sync(client=api, body=bundle)
    assert [result.status for result in again.results] == [BundleResultStatusEnum.MATCHED] * 2
    assert again.results[1].id == posted.parsed.results[1].id
    assert events_retrieve.sync(client=api, id=event.id).supporting_count == 2

    # Matching: who is "Mojaheed", and has the claim been made before?
    candidates = actors_match.sync(client=api, name="Taliban spokesman Mojaheed")
    assert candidates.results[0].actor.id == mujahid.id
    assert candidates.results[0].matched_on == "alias: Zabihullah Mojaheed"
    repeated = statements_match.sync(
        client=api,
        body=StatementMatchQueryRequest(text="“Panjshir has been completely captured”", speaker=mujahid.id),
    )
    best = repeated.results[0]
    assert (best.statement.id, best.decision.value) == (claim.id, "same")
    similar = statements_similar.sync(client=api, id=claim.id)
    assert claim.id not in [match.statement.id for match in similar.results]

    # A draft: an article in, its proposals corrected, committed as one bundle.
    draft = drafts_create.sync(
        client=api,
        body=DraftCreateRequest(
            url="https://news.example.org/2021/09/07/bazarak",
            text=(
                "The Taliban on Tuesday claimed that their fighters had entered Bazarak.\n\n"
                "“We have taken the district centre,” Taliban spokesman Zabihullah Mojaheed told "
                "reporters. “The fighting is over.”"
            ),
            published_at=datetime.datetime(2021, 9, 7, tzinfo=datetime.UTC),
            publisher="Bazarak Weekly",
        ),
    )
    assert draft.status == DraftStatusEnum.OPEN
    quote = next(s for s in draft.statements if s.text == "We have taken the district centre")
    assert quote.speaker.actor == mujahid.id  # matched through the alias
    assert quote.stated_on == datetime.date(2021, 9, 7)
    second = next(s for s in draft.statements if s.text == "The fighting is over.")
    corrected = drafts_partial_update.sync(
        client=api,
        id=draft.id,
        body=PatchedDraftUpdateRequest(statements=[StatementChangeRequest(key=second.key, accepted=False)]),
    )
    assert next(s for s in corrected.statements if s.key == second.key).accepted is False
    committed = drafts_commit.sync(client=api, id=draft.id)
    assert committed.draft.status == DraftStatusEnum.COMMITTED
    assert {result.resource for result in committed.results} >= {
        ChangeResourceEnum.SOURCES,
        ChangeResourceEnum.STATEMENTS,
    }
    again = drafts_commit.sync_detailed(client=api, id=draft.id)
    assert again.status_code == 409
