"""The workbench's pages through Django's test client: who may see them, and the seed flow."""

import html
import re

import pytest
from django.core.management import call_command

from claims.models import Statement
from drafts.models import Draft
from tests.test_fixture_panjshir import ARTICLE, FIXTURE

pytestmark = pytest.mark.django_db

WORKBENCH = "/workbench/"
PUBLISHED = "2021-09-06"
URL = "https://www.kurdistan24.net/en/story/25235"


@pytest.fixture
def panjshir():
    call_command("loaddata", str(FIXTURE), verbosity=0)


@pytest.fixture
def editor_browser(client, editor):
    client.force_login(editor)
    return client


def new_draft(client, **changes) -> Draft:
    form = {
        "url": URL,
        "published_at": PUBLISHED,
        "title": "Conflicting claims on the fall of Panjshir",
        "publisher": "Kurdistan 24",
        "kind": "text",
        "article": ARTICLE.read_text(encoding="utf-8"),
        **changes,
    }
    response = client.post(WORKBENCH, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Draft.objects.get()
    assert response["Location"] == f"/workbench/drafts/{draft.pk}/"
    return draft


def card(draft: Draft, key: str) -> dict:
    return next(s for s in draft.statements if s["key"] == key)


def statement_form(draft: Draft, statement: dict, **changes) -> dict:
    """The statement card as the page renders it, with ``changes`` typed in."""
    form = {
        "text": statement["text"],
        "speaker_name": statement["speaker"].get("name") or "",
        "speaker_actor": statement["speaker"].get("actor") or "",
        "stated_on": statement.get("stated_on") or "",
        "stated_on_precision": statement.get("stated_on_precision") or "day",
        "channel": statement.get("channel") or "",
        "speaker_kind": (statement["speaker"].get("new_actor") or {}).get("kind") or "person",
    }
    if statement.get("is_direct_quote"):
        form["is_direct_quote"] = "on"
    if statement.get("accepted"):
        form["accepted"] = "on"
    if statement["speaker"].get("new_actor"):
        form["speaker_new"] = "on"
    for about in statement.get("about") or []:
        if about["event"].get("key"):
            form[f"stance_{about['event']['key']}"] = about["stance"]
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


# -- who may use it ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(WORKBENCH)
    assert response.status_code == 302
    assert response["Location"].startswith("/api-auth/login/?next=/workbench/")


def test_a_user_outside_the_editors_group_gets_a_403_page_in_words(client, reader):
    client.force_login(reader)
    response = client.get(WORKBENCH)
    assert response.status_code == 403
    assert "The workbench is for editors" in response.content.decode()


def test_an_editor_sees_another_editors_draft_as_not_found(editor_browser, panjshir, django_user_model):
    draft = new_draft(editor_browser)
    other = django_user_model.objects.create_user("other")
    other.groups.add(*draft.created_by.groups.all())
    editor_browser.force_login(other)
    assert editor_browser.get(f"/workbench/drafts/{draft.pk}/").status_code == 404


# -- the list and the new-draft form -----------------------------------------------------------


def test_the_form_explains_what_is_missing_next_to_each_field(editor_browser):
    response = editor_browser.post(WORKBENCH, {"url": "not a url", "kind": "text", "article": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give a full web address" in page
    assert "Give the publication date" in page
    assert "The text is empty." in page or "Paste the article" in page
    assert not Draft.objects.exists()


def test_html_without_an_article_is_refused_in_words(editor_browser):
    response = editor_browser.post(
        WORKBENCH,
        {"url": URL, "kind": "html", "article": "<html><body></body></html>", "published_at": PUBLISHED},
    )
    assert response.status_code == 400
    assert "No article text was found in the HTML." in response.content.decode()


def test_a_new_draft_lands_on_its_page_with_every_span_highlighted(editor_browser, panjshir):
    draft = new_draft(editor_browser)
    assert draft.statements
    page = editor_browser.get(f"/workbench/drafts/{draft.pk}/").content.decode()
    for statement in draft.statements:
        assert f'id="mark-{statement["key"]}"' in page
        assert f'id="statement-{statement["key"]}"' in page
    assert 'class="span quote' in page
    assert 'class="span reported' in page
    listing = editor_browser.get(WORKBENCH).content.decode()
    assert "Conflicting claims on the fall of Panjshir" in listing
    assert "Open" in listing


def test_the_article_renders_exactly_the_drafts_text_around_the_marks(editor_browser, panjshir):
    draft = new_draft(editor_browser)
    page = editor_browser.get(f"/workbench/drafts/{draft.pk}/").content.decode()
    article = re.search(r'<div id="article-text"[^>]*>(.*?)</div>', page, re.S).group(1)
    article = re.sub(r'<a class="span-label[^>]*>.*?</a>', "", article)
    article = re.sub(r"</?mark[^>]*>", "", article)
    assert html.unescape(article) == draft.text


# -- corrections ---------------------------------------------------------------------------------


def test_correcting_a_speaker_and_rejecting_a_proposal_saves_the_draft(editor_browser, panjshir):
    draft = new_draft(editor_browser)
    first, second = draft.statements[0], draft.statements[1]
    response = editor_browser.post(
        f"/workbench/drafts/{draft.pk}/statements/{first['key']}/",
        statement_form(draft, first, speaker_name="Jane Editor-Chosen", speaker_actor="", speaker_new="on"),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#statement-{first['key']}")
    response = editor_browser.post(
        f"/workbench/drafts/{draft.pk}/statements/{second['key']}/",
        statement_form(draft, second, accepted=None),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert card(draft, first["key"])["speaker"]["new_actor"] == {
        "name": "Jane Editor-Chosen",
        "kind": "person",
        "aliases": [],
    }
    assert card(draft, first["key"])["speaker"]["actor"] is None
    assert card(draft, second["key"])["accepted"] is False
    assert draft.version == 3


def test_an_invalid_correction_is_shown_next_to_its_item_in_words(editor_browser, panjshir):
    draft = new_draft(editor_browser)
    first = draft.statements[0]
    response = editor_browser.post(
        f"/workbench/drafts/{draft.pk}/statements/{first['key']}/",
        statement_form(draft, first, stated_on="2021-02-31"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Date said: Date has wrong format" in page
    assert f'href="#statement-{first["key"]}"' in page
    assert 'value="2021-02-31"' in page  # what the editor typed, kept
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_selected_passage_becomes_a_new_statement(editor_browser, panjshir):
    draft = new_draft(editor_browser)
    words = "conflicting claims on the fall of Panjshir Valley arose again"
    start = draft.text.index(words)
    count = len(draft.statements)
    response = editor_browser.post(
        f"/workbench/drafts/{draft.pk}/propose/", {"start": start - 1, "end": start + len(words) + 1}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert len(draft.statements) == count + 1
    added = draft.statements[-1]
    assert added["key"] == f"s{max(int(s['key'][1:]) for s in draft.statements[:-1]) + 1}"
    assert added["text"] == words  # the selection's surrounding spaces dropped
    assert added["span"]["start"] == start
    assert added["span"]["exact"] == words
    assert added["stated_on"] == PUBLISHED
    assert added["accepted"] is False
    assert response["Location"].endswith(f"#statement-{added['key']}")


def test_a_proposal_without_a_selection_is_refused_in_words(editor_browser, panjshir):
    draft = new_draft(editor_browser)
    response = editor_browser.post(f"/workbench/drafts/{draft.pk}/propose/", {"start": "", "end": ""})
    assert response.status_code == 400
    assert "Select a passage of the article first" in response.content.decode()


# -- commit ------------------------------------------------------------------------------------


def test_commit_errors_appear_next_to_the_statement_they_concern(editor_browser, panjshir):
    draft = new_draft(editor_browser)
    editor_browser.post(f"/workbench/drafts/{draft.pk}/propose/", {"start": 10, "end": 40})
    draft.refresh_from_db()
    added = draft.statements[-1]
    editor_browser.post(
        f"/workbench/drafts/{draft.pk}/statements/{added['key']}/",
        statement_form(draft, added, accepted="on"),
    )
    response = editor_browser.post(f"/workbench/drafts/{draft.pk}/commit/")
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<a href="#statement-{added["key"]}">statement {added["key"]}</a>: Speaker: An accepted' in page
    draft.refresh_from_db()
    assert draft.status == "open"


def test_commit_lands_on_a_summary_linking_every_record(editor_browser, panjshir):
    draft = new_draft(editor_browser)
    before = Statement.objects.count()
    response = editor_browser.post(f"/workbench/drafts/{draft.pk}/commit/")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"/workbench/drafts/{draft.pk}/summary/"
    draft.refresh_from_db()
    assert draft.status == "committed"
    page = editor_browser.get(response["Location"]).content.decode()
    for result in draft.results:
        assert f'href="{result["url"]}"' in page
    assert any(r["resource"] == "statements" for r in draft.results)
    assert Statement.objects.count() >= before
    # The draft's page now sends the editor to the summary; a second commit is refused.
    assert editor_browser.get(f"/workbench/drafts/{draft.pk}/")["Location"].endswith("/summary/")
    assert editor_browser.post(f"/workbench/drafts/{draft.pk}/commit/").status_code == 409


def test_discarding_returns_to_the_list(editor_browser, panjshir):
    draft = new_draft(editor_browser)
    response = editor_browser.post(f"/workbench/drafts/{draft.pk}/discard/")
    assert response.status_code == 302
    assert response["Location"] == WORKBENCH
    draft.refresh_from_db()
    assert draft.status == "discarded"


# -- links -----------------------------------------------------------------------------------


def test_the_browsable_api_links_editors_to_the_workbench(client, editor, reader):
    client.force_login(editor)
    assert 'href="/workbench/"' in client.get("/api/v1/", HTTP_ACCEPT="text/html").content.decode()
    client.force_login(reader)
    assert 'href="/workbench/"' not in client.get("/api/v1/", HTTP_ACCEPT="text/html").content.decode()


def test_the_admin_index_links_to_the_workbench(client, superuser):
    client.force_login(superuser)
    assert 'href="/workbench/"' in client.get("/admin/").content.decode()
