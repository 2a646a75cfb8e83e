"""The editor's workbench in a browser: the seed article pasted, reviewed, corrected, committed.

axe-core (npm, pinned in package-lock.json) is injected into the list, draft and summary pages;
none may have a serious or critical accessibility violation.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from drafts.models import Draft
from tests.browser.conftest import PASSWORD
from tests.test_fixture_panjshir import ARTICLE

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
NEW_SPEAKER = "Corrected Speaker Name"


def assert_accessible(page) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make node-deps` (npm ci).")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], bad


def test_an_editor_reviews_corrects_and_commits_the_seed_article(page, panjshir, editor):
    shots = page.screenshots
    # Log in: the workbench sends an anonymous visitor to the login page and back.
    page.goto("/workbench/")
    page.wait_for_url(re.compile(r"/api-auth/login/"))
    page.fill("input[name=username]", editor.username)
    page.fill("input[name=password]", PASSWORD)
    shots.take("login")
    page.locator("form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/workbench/$"))
    expect(page.get_by_role("heading", name="Your drafts")).to_be_visible()
    assert_accessible(page)
    shots.take("empty-list")

    # A new draft: the publisher is chosen through the autocomplete over recorded actors.
    page.get_by_label("Article address (URL)").fill("https://www.kurdistan24.net/en/story/25235")
    page.get_by_label("Publication date").fill("2021-09-06")
    page.get_by_label("Headline").fill("Conflicting claims on the fall of Panjshir")
    publisher = page.get_by_label("Publisher")
    publisher.press_sequentially("Kurdistan", delay=20)
    expect(page.locator("#actor-options-publisher option[data-id]").first).to_be_attached()
    publisher.fill("Kurdistan 24")
    expect(page.locator("#id_publisher_actor")).not_to_have_value("")
    page.get_by_label("Article text or HTML").fill(ARTICLE.read_text(encoding="utf-8"))
    shots.take("new-draft-form")
    page.get_by_role("button", name="Make the draft").click()
    page.wait_for_url(re.compile(r"/workbench/drafts/[0-9a-f-]+/$"))

    draft = Draft.objects.get()
    assert "actor" in draft.source["publisher"]  # the recorded Kurdistan 24, not a new actor
    marks = page.locator("#article-text mark")
    expect(marks.first).to_be_visible()
    for statement in draft.statements:
        expect(page.locator(f"#mark-{statement['key']}")).to_have_count(1)
    rendered = page.evaluate(
        """() => { const copy = document.getElementById('article-text').cloneNode(true);
                   copy.querySelectorAll('[data-skip]').forEach(e => e.remove());
                   return copy.textContent; }"""
    )
    assert rendered == draft.text
    assert_accessible(page)
    shots.take("draft-highlights")

    # A highlight selects its proposal, and the proposal's link shows its highlight.
    target = next(s for s in draft.statements if s["accepted"] and not s["duplicate_of"])
    rejected = next(s for s in draft.statements if s["accepted"] and s["key"] != target["key"])
    page.locator(f"#article-text mark[data-key={target['key']}]").first.click()
    card = page.locator(f"#statement-{target['key']}")
    expect(card).to_have_class(re.compile(r"\bselected\b"))
    expect(card).to_be_focused()
    card.get_by_role("link", name=f"Show {target['key']} in the article").click()
    expect(page.locator(f"#mark-{target['key']}")).to_be_focused()
    shots.take("highlight-selected")

    # Correct one speaker: a new actor instead of the proposed one.
    card.get_by_label("Speaker", exact=True).fill(NEW_SPEAKER)
    card.get_by_label("New actor", exact=True).check()
    shots.take("speaker-corrected")
    card.get_by_role("button", name=f"Save statement {target['key']}").click()
    page.wait_for_url(re.compile(rf"#statement-{target['key']}$"))
    expect(page.get_by_role("status").first).to_contain_text(f"Saved statement {target['key']}")

    # Reject one proposal.
    other = page.locator(f"#statement-{rejected['key']}")
    other.get_by_label(re.compile("Accept: record")).uncheck()
    other.get_by_role("button", name=f"Save statement {rejected['key']}").click()
    page.wait_for_url(re.compile(rf"#statement-{rejected['key']}$"))
    expect(page.locator(f"#statement-{rejected['key']}")).to_contain_text("not accepted")
    shots.take("proposal-rejected")

    # Select a passage and press Alt+N: a new statement is proposed from it.
    words = "conflicting claims on the fall of Panjshir Valley arose again"
    page.evaluate(
        """(words) => {
            const article = document.getElementById('article-text');
            const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const at = node.data.indexOf(words);
              if (at >= 0) { const range = document.createRange();
                range.setStart(node, at); range.setEnd(node, at + words.length);
                const selection = window.getSelection();
                selection.removeAllRanges(); selection.addRange(range);
                return; }
            }
            throw new Error('not found');
        }""",
        words,
    )
    expect(page.locator("#propose-start")).to_have_value(str(draft.text.index(words)))
    shots.take("passage-selected")
    added_key = f"s{max(int(s['key'][1:]) for s in draft.statements) + 1}"
    page.keyboard.press("Alt+N")
    page.wait_for_url(re.compile(rf"#statement-{added_key}$"))
    expect(page.locator(f"#statement-{added_key} textarea[name=text]")).to_have_value(words)
    expect(page.locator(f"#mark-{added_key}")).to_have_count(1)
    shots.take("statement-proposed")

    # Back goes to the page before (real pages, not script state), and forward again.
    page.go_back()
    page.wait_for_url(re.compile(rf"#statement-{rejected['key']}$"))
    expect(page.get_by_role("heading", name=re.compile("^Draft:"))).to_be_visible()
    page.go_forward()
    page.wait_for_url(re.compile(rf"#statement-{added_key}$"))

    # Commit: the summary links every record in the browsable API.
    page.get_by_role("button", name="Commit accepted items").click()
    page.wait_for_url(re.compile(r"/summary/$"))
    expect(page.get_by_role("heading", name=re.compile("^Committed"))).to_be_visible()
    assert_accessible(page)
    shots.take("summary")

    draft.refresh_from_db()
    assert draft.status == "committed"
    links = page.locator("table.results tbody a")
    expect(links).to_have_count(len(draft.results))
    texts, speakers = [], set()
    for result in draft.results:
        response = page.request.get(result["url"], headers={"Accept": "application/json"})
        assert response.status == 200, result
        record = response.json()
        if result["resource"] == "statements":
            texts.append(record["text"])
            speakers.add(str((record.get("speaker") or {}).get("id") or record.get("speaker")))
    assert target["text"] in texts
    assert rejected["text"] not in texts or rejected["duplicate_of"]  # a rejected one is not written
    assert words not in texts  # proposed, never accepted
    new_actor = next(r for r in draft.results if r["resource"] == "actors" and r["status"] == "created")
    actor = page.request.get(new_actor["url"], headers={"Accept": "application/json"}).json()
    assert actor["name"] == NEW_SPEAKER
    assert any(new_actor["id"] in speaker for speaker in speakers)

    page.get_by_role("link", name="Back to your drafts").click()
    expect(page.locator("table.drafts")).to_contain_text("Committed")
    shots.take("list-after-commit")
