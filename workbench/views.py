"""The editor's workbench: drafts listed, an article beside its proposals, commit and summary.

Server-rendered pages over the drafts services; every write is a form POST answered by a
redirect (the back button walks real pages), and errors come back on the page, in words,
next to the item they concern.
"""

import datetime
import itertools
import re
import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request

from claims.models import Stance
from drafts.api.committing import DraftIncomplete, commit_draft
from drafts.api.serializers import DraftUpdateSerializer
from drafts.models import Draft, DraftStatus
from drafts.selectors import drafts_visible_to
from drafts.services import (
    DraftClosed,
    PageUnusable,
    article_fields_from_html,
    draft_create,
    draft_discard,
    draft_locked,
    draft_update,
)
from events.models import Actor, ActorKind, DatePrecision, Event, EventType
from eventsapi.api.permissions import EDITORS_GROUP, in_group
from workbench.forms import DraftForm
from workbench.services import PassageInvalid, draft_statement_propose

SECTIONS = ("statements", "events", "actors")
# Words for the fields an error names (``statements[3].stated_on`` -> "Date said").
FIELD_WORDS = {
    "text": "Words",
    "speaker": "Speaker",
    "speaker.actor": "Speaker",
    "speaker.key": "Speaker",
    "speaker.name": "Speaker",
    "speaker.new_actor": "New actor",
    "stated_on": "Date said",
    "stated_on_precision": "Date precision",
    "channel": "Channel",
    "about": "Stances",
    "accepted": "Accept",
    "title": "Title",
    "event_type": "Type",
    "start_date": "Start date",
    "date_precision": "Date precision",
    "name": "Name",
    "kind": "Kind",
    "role": "Role",
    "match": "Recorded actor",
    "key": "Item",
}
ERROR_FIELD = re.compile(r"^(statements|events|actors)\[(\d+)\]\.?(.*)$")


def editors_only(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not in_group(request.user, EDITORS_GROUP):
            return render(request, "workbench/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _draft(request, pk) -> Draft:
    return get_object_or_404(drafts_visible_to(request.user), pk=pk)


# -- the list and the new-draft form -----------------------------------------------------------


@editors_only
def draft_list(request):
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = _create(request, form)
        if draft is not None:
            return redirect("workbench:draft", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    drafts = [
        {
            "draft": draft,
            "statements": len(draft.statements),
            "accepted": sum(1 for s in draft.statements if s.get("accepted")),
            "events": len(draft.events),
        }
        for draft in drafts_visible_to(request.user).order_by("-created_at")
    ]
    return render(request, "workbench/list.html", {"form": form, "drafts": drafts}, status=status)


def _create(request, form: DraftForm) -> Draft | None:
    data = form.cleaned_data
    text, title, author = data["article"], data["title"], ""
    published = data["published_at"]
    publisher: Actor | str | None = data["publisher"].strip() or None
    if data["publisher_actor"]:
        publisher = Actor.objects.filter(pk=data["publisher_actor"]).first() or publisher
    published_at = (
        None
        if published is None
        else datetime.datetime.combine(published, datetime.time(), tzinfo=datetime.UTC)
    )
    fields = {
        "url": data["url"],
        "title": title,
        "author": author,
        "published_at": published_at,
        "publisher": publisher,
    }
    if data["kind"] == "html":
        try:
            fields = article_fields_from_html(html=text, **fields)
        except PageUnusable as unusable:
            form.add_error(
                "published_at" if unusable.field == "published_at" else "article", unusable.message
            )
            return None
    else:
        fields["text"] = text
    return draft_create(
        user=request.user, **{**fields, "title": fields["title"] or "", "author": fields["author"] or ""}
    )


# -- the draft page ----------------------------------------------------------------------------


@editors_only
def draft_detail(request, pk):
    draft = _draft(request, pk)
    if draft.status == DraftStatus.COMMITTED:
        return redirect("workbench:summary", pk=draft.pk)
    return _render_draft(request, draft)


def _render_draft(request, draft: Draft, *, errors=None, submitted=None, general=None, status=200):
    """``errors``: {(section, key): {field: [messages]}}; ``submitted``: {(section, key): POST}."""
    errors = errors or {}
    submitted = submitted or {}
    recorded = {
        (about.get("event") or {}).get("id") for s in draft.statements for about in s.get("about") or []
    }
    titles = {
        str(pk): title
        for pk, title in Event.objects.filter(pk__in=recorded - {None}).values_list("pk", "title")
    }
    statements = [
        _statement_card(
            draft,
            s,
            errors.get(("statements", s["key"]), {}),
            submitted.get(("statements", s["key"])),
            titles,
        )
        for s in draft.statements
    ]
    groups: dict[str, list] = {}
    for card in statements:
        groups.setdefault(card["speaker_group"], []).append(card)
    context = {
        "draft": draft,
        "title": draft.source.get("title") or draft.url,
        "segments": _segments(draft),
        "speaker_groups": list(groups.items()),
        "events": [_event_card(e, errors.get(("events", e["key"]), {})) for e in draft.events],
        "actors": [_actor_card(a, errors.get(("actors", a["key"]), {})) for a in draft.actors],
        "error_list": _error_list(draft, errors),
        "general_errors": general or [],
        "precisions": DatePrecision.choices,
        "stances": Stance.choices,
        "event_types": EventType.choices,
        "actor_kinds": ActorKind.choices,
        "is_open": draft.status == DraftStatus.OPEN,
    }
    return render(request, "workbench/draft.html", context, status=status)


def _segments(draft: Draft) -> list[dict]:
    """The text cut at every span's ends; each piece lists the statements it belongs to."""
    text = draft.text
    spans = []
    for statement in draft.statements:
        span = statement.get("span") or {}
        start, end = span.get("start"), span.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            spans.append((start, end, statement))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments = []
    for left, right in itertools.pairwise(cuts):
        covering = [st for s, e, st in spans if s <= left and right <= e]
        starting = [st for s, _, st in spans if s == left]
        segments.append(
            {
                "text": text[left:right],
                "start": left,
                "keys": " ".join(st["key"] for st in covering),
                "first": covering[-1]["key"] if covering else "",
                "kind": ("quote" if covering[-1].get("is_direct_quote") else "reported") if covering else "",
                "labels": [
                    {"key": st["key"], "kind": "quote" if st.get("is_direct_quote") else "reported"}
                    for st in starting
                ],
                "accepted": bool(covering) and all(st.get("accepted") for st in covering),
            }
        )
    return segments


def _statement_card(draft: Draft, statement: dict, errors: dict, submitted, titles: dict) -> dict:
    speaker = statement.get("speaker") or {}
    stances, recorded = {}, []
    for about in statement.get("about") or []:
        event = about.get("event") or {}
        if event.get("key"):
            stances[event["key"]] = about.get("stance")
        elif event.get("id"):
            recorded.append(
                {
                    "event": {
                        "key": f"id_{event['id']}",
                        "id": event["id"],
                        "title": titles.get(event["id"], ""),
                    },
                    "stance": about.get("stance"),
                }
            )
    card = {
        "key": statement["key"],
        "text": statement.get("text", ""),
        "is_direct_quote": bool(statement.get("is_direct_quote")),
        "speaker_name": speaker.get("name") or "",
        "speaker_actor": speaker.get("actor") or "",
        "speaker_new": bool(speaker.get("new_actor")),
        "speaker_kind": (speaker.get("new_actor") or {}).get("kind") or "person",
        "speaker_key": speaker.get("key") or "",
        "speaker_confidence": speaker.get("confidence"),
        "candidates": speaker.get("candidates") or [],
        "stated_on": statement.get("stated_on") or "",
        "precision": statement.get("stated_on_precision") or "day",
        "channel": statement.get("channel") or "",
        "duplicate_of": statement.get("duplicate_of"),
        "accepted": bool(statement.get("accepted")),
        "stances": [{"event": event, "stance": stances.get(event["key"], "")} for event in draft.events],
        "errors": errors,
        "error_words": _words(errors),
    }
    if submitted is not None:  # the values the editor sent, shown again beside their errors
        card.update(
            text=submitted.get("text", card["text"]),
            speaker_name=submitted.get("speaker_name", card["speaker_name"]),
            stated_on=submitted.get("stated_on", card["stated_on"]),
            precision=submitted.get("stated_on_precision", card["precision"]),
            channel=submitted.get("channel", card["channel"]),
            accepted="accepted" in submitted,
        )
    card["speaker_group"] = card["speaker_name"] or "No speaker yet"
    return card


def _event_card(event: dict, errors: dict) -> dict:
    return {**event, "errors": errors, "error_words": _words(errors)}


def _actor_card(actor: dict, errors: dict) -> dict:
    return {**actor, "errors": errors, "error_words": _words(errors)}


def _words(errors: dict) -> list[str]:
    return [
        f"{FIELD_WORDS.get(field, field.replace('_', ' ').capitalize())}: {message}"
        for field, messages_ in errors.items()
        for message in messages_
    ]


def _error_list(draft: Draft, errors: dict) -> list[dict]:
    """Every item's errors, for the list at the top of the page (each links to its item)."""
    listed = []
    for (section, key), fields in errors.items():
        for line in _words(fields):
            listed.append(
                {"anchor": f"{section[:-1]}-{key}", "item": f"{section[:-1]} {key}", "message": line}
            )
    return listed


# -- corrections -------------------------------------------------------------------------------


@require_POST
@editors_only
def item_save(request, pk, section, key):
    if section not in SECTIONS:
        raise Http404
    draft = _draft(request, pk)
    current = next((item for item in getattr(draft, section) if item["key"] == key), None)
    if current is None:
        raise Http404
    change = {"statements": _statement_change, "events": _event_change, "actors": _actor_change}[section](
        draft, current, request.POST
    )
    with transaction.atomic():
        draft = draft_locked(draft)
        changes = DraftUpdateSerializer(data={section: [change]}, context={"draft": draft})
        if not changes.is_valid():
            errors = {(section, key): _field_errors(changes.errors, section)}
            return _render_draft(
                request, draft, errors=errors, submitted={(section, key): request.POST}, status=400
            )
        try:
            draft_update(draft=draft, changes=changes.changes())
        except DraftClosed as closed:
            return _render_draft(request, draft, general=[str(closed)], status=409)
    messages.success(request, f"Saved {section[:-1]} {key}.")
    return redirect(reverse("workbench:draft", kwargs={"pk": draft.pk}) + f"#{section[:-1]}-{key}")


def _field_errors(errors, section: str) -> dict[str, list[str]]:
    """DRF's nested errors for one item, flattened to {field path: [messages]}."""
    flat: dict[str, list[str]] = {}

    def walk(value, path):
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(
                    inner,
                    f"{path}[{name}]" if isinstance(name, int) else (f"{path}.{name}" if path else name),
                )
        elif isinstance(value, list) and value and not isinstance(value[0], str):
            for index, inner in enumerate(value):
                walk(inner, f"{path}[{index}]")
        else:
            for message in value if isinstance(value, list) else [value]:
                flat.setdefault(path, []).append(str(message))

    walk(errors, "")
    fields: dict[str, list[str]] = {}
    for path, found in flat.items():
        match = ERROR_FIELD.match(path)
        name = match.group(3) if match else (path.removeprefix(section).lstrip(".") or "key")
        fields.setdefault(name or "key", []).extend(found)
    return fields


def _changed(change: dict, current: dict, name: str, value) -> None:
    if current.get(name) != value:
        change[name] = value


def _statement_change(draft: Draft, current: dict, post) -> dict:
    change = {"key": current["key"]}
    _changed(change, current, "text", post.get("text", current.get("text", "")))
    _changed(change, current, "is_direct_quote", "is_direct_quote" in post)
    _changed(change, current, "stated_on", post.get("stated_on") or None)
    _changed(change, current, "stated_on_precision", post.get("stated_on_precision") or "day")
    _changed(change, current, "channel", post.get("channel", ""))
    _changed(change, current, "accepted", "accepted" in post)
    speaker = _speaker_change(draft, current.get("speaker") or {}, post)
    if speaker is not None:
        change["speaker"] = speaker
    about = []
    for stance in current.get("about") or []:
        recorded = (stance.get("event") or {}).get("id")
        if recorded and f"stance_id_{recorded}" in post:
            if post[f"stance_id_{recorded}"]:
                about.append({**stance, "stance": post[f"stance_id_{recorded}"]})
        elif recorded:
            about.append(stance)
    cues = {(a.get("event") or {}).get("key"): a.get("cue", "") for a in current.get("about") or []}
    for event in draft.events:
        stance = post.get(f"stance_{event['key']}", "")
        if stance:
            about.append(
                {"event": {"key": event["key"]}, "stance": stance, "cue": cues.get(event["key"]) or ""}
            )
    if about != (current.get("about") or []):
        change["about"] = about
    return change


def _speaker_change(draft: Draft, current: dict, post) -> dict | None:
    name = post.get("speaker_name", current.get("name") or "").strip()
    chosen = post.get("speaker_actor", "").strip()
    renamed = name != (current.get("name") or "")
    if _is_uuid(name):  # an actor's id typed in (no autocomplete)
        actor = Actor.objects.filter(pk=name).first()
        return {"actor": name, "key": None, "name": actor.name if actor else name, "new_actor": None}
    if chosen and (chosen != (current.get("actor") or "") or not renamed):
        if chosen == (current.get("actor") or "") and "speaker_new" not in post:
            return None
        if "speaker_new" not in post:
            return {"actor": chosen, "key": None, "name": name, "new_actor": None}
    kind = post.get("speaker_kind") or "person"
    wants_new = "speaker_new" in post
    if (
        not renamed
        and wants_new == bool(current.get("new_actor"))
        and not (wants_new and kind != (current.get("new_actor") or {}).get("kind"))
    ):
        return None
    if not name:
        return {"actor": None, "key": None, "name": "", "new_actor": None}
    same = next((a for a in draft.actors if a["name"] == name), None)
    if same is not None and not wants_new:
        return {"actor": None, "key": same["key"], "name": name, "new_actor": None}
    return {
        "actor": None,
        "key": None,
        "name": name,
        "new_actor": {"name": name, "kind": kind, "aliases": []},
    }


def _event_change(draft: Draft, current: dict, post) -> dict:
    change = {"key": current["key"]}
    for name in ("title", "event_type", "start_date", "date_precision"):
        if name in post:
            _changed(change, current, name, post[name] if name != "start_date" else (post[name] or None))
    _changed(change, current, "accepted", "accepted" in post)
    if change.get("start_date", "") is None:
        change.pop("start_date")  # an event's start is required: leave it as it was
    return change


def _actor_change(draft: Draft, current: dict, post) -> dict:
    change = {"key": current["key"]}
    for name in ("name", "kind", "role"):
        if name in post:
            _changed(change, current, name, post[name].strip())
    if "match" in post:
        _changed(change, current, "match", post["match"].strip() or None)
    return change


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# -- a statement from a selection ----------------------------------------------------------


@require_POST
@editors_only
def statement_propose(request, pk):
    draft = _draft(request, pk)
    try:
        start, end = int(request.POST.get("start", "")), int(request.POST.get("end", ""))
    except ValueError:
        return _render_draft(
            request, draft, general=["Select a passage of the article first, then propose it."], status=400
        )
    with transaction.atomic():
        draft = draft_locked(draft)
        try:
            draft = draft_statement_propose(
                draft=draft, start=start, end=end, is_direct_quote="is_direct_quote" in request.POST
            )
        except (PassageInvalid, DraftClosed) as problem:
            return _render_draft(request, draft, general=[str(problem)], status=400)
    key = draft.statements[-1]["key"]
    messages.success(
        request, f"Proposed statement {key} from your selection: give its speaker and accept it."
    )
    return redirect(reverse("workbench:draft", kwargs={"pk": draft.pk}) + f"#statement-{key}")


# -- commit, discard, summary ------------------------------------------------------------------


@require_POST
@editors_only
def draft_commit(request, pk):
    """What ``POST /api/v1/drafts/{id}/commit/`` does, answered as pages."""
    draft = _draft(request, pk)
    api_request = Request(request)
    api_request.user = request.user
    try:
        with transaction.atomic():
            commit_draft(api_request, draft_locked(draft))
    except DraftIncomplete as incomplete:
        draft.refresh_from_db()
        return _render_draft(request, draft, errors=_by_item(draft, incomplete.errors), status=400)
    except ValidationError as invalid:
        draft.refresh_from_db()
        return _render_draft(request, draft, general=_problem_words(invalid.detail), status=400)
    except APIException as failure:
        draft.refresh_from_db()
        return _render_draft(
            request, draft, general=_problem_words(failure.detail), status=failure.status_code
        )
    return redirect("workbench:summary", pk=draft.pk)


def _by_item(draft: Draft, errors: dict[str, str]) -> dict:
    by_item: dict = {}
    for field, message in errors.items():
        match = ERROR_FIELD.match(field)
        if not match:
            continue
        section, index, name = match.group(1), int(match.group(2)), match.group(3) or "key"
        key = getattr(draft, section)[index]["key"]
        by_item.setdefault((section, key), {}).setdefault(name, []).append(message)
    return by_item


def _problem_words(detail) -> list[str]:
    if isinstance(detail, dict):
        return [f"{field}: {line}" for field, inner in detail.items() for line in _problem_words(inner)]
    if isinstance(detail, list):
        return [line for inner in detail for line in _problem_words(inner)]
    return [str(detail)]


@require_POST
@editors_only
def draft_discard_view(request, pk):
    draft = _draft(request, pk)
    with transaction.atomic():
        try:
            draft_discard(draft=draft_locked(draft))
        except DraftClosed as closed:
            return _render_draft(request, draft, general=[str(closed)], status=409)
    messages.success(request, "Discarded the draft: nothing was recorded.")
    return redirect("workbench:list")


@editors_only
def draft_summary(request, pk):
    draft = _draft(request, pk)
    if draft.status != DraftStatus.COMMITTED:
        return redirect("workbench:draft", pk=draft.pk)
    return render(
        request,
        "workbench/summary.html",
        {"draft": draft, "title": draft.source.get("title") or draft.url, "results": draft.results},
    )
