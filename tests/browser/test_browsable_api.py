"""The browsable API in a real browser: the root, a list and its filters, logging in, writing."""

import re

import pytest
from playwright.sync_api import expect

from events.models import Event
from tests.browser.conftest import log_in_to_the_browsable_api

pytestmark = pytest.mark.browser

PANJSHIR_EVENTS = [
    "Taliban offensive on the Panjshir Valley",
    "Claimed fall of the Panjshir Valley to the Taliban",
    "Killing of NRF spokesperson Fahim Dashty",
    "Taliban yet to announce the formation of its government",
]


def test_api_root_lists_every_resource_with_a_description(page, panjshir):
    page.goto("/api/v1/")

    description = page.locator(".content-main .pull-left")
    expect(description).to_contain_text("Structured, verifiable news events")
    for resource in ["places", "actors", "events", "sources", "statements"]:
        expect(description).to_contain_text(f"{resource}:")
        expect(page.locator(f'a[href$="/api/v1/{resource}/"]')).to_have_count(1)
    page.screenshots.take("api-root")


def test_events_list_shows_the_panjshir_events_and_its_filter_form_narrows_them(page, panjshir):
    page.goto("/api/v1/events/")

    expect(page.locator(".content-main .pull-left")).to_contain_text("Things that happened")
    response = page.locator(".response-info")
    for title in PANJSHIR_EVENTS:
        expect(response).to_contain_text(title)
    page.screenshots.take("events-list")

    page.get_by_role("button", name="Filters").click()
    page.locator("#filtersModal select[name=event_type]").select_option("battle")
    page.screenshots.take("filter-form")
    page.locator("#filtersModal button[type=submit]").click()

    page.wait_for_url(re.compile(r"event_type=battle"))
    expect(response).to_contain_text("Taliban offensive on the Panjshir Valley")
    expect(response).to_contain_text("Killing of NRF spokesperson Fahim Dashty")
    expect(response).not_to_contain_text("Claimed fall of the Panjshir Valley")
    expect(response).not_to_contain_text("formation of its government")
    page.screenshots.take("events-filtered-to-battles")


def test_resources_link_to_each_other(page, panjshir):
    page.goto("/api/v1/events/?event_type=battle&ordering=start_date")

    page.locator(".response-info a[href*='/api/v1/places/']").first.click()

    page.wait_for_url(re.compile(r"/api/v1/places/[0-9a-f-]{36}/$"))
    expect(page.locator("h1")).to_contain_text("Place")
    expect(page.locator(".response-info")).to_contain_text("Panjshir")
    page.screenshots.take("place-reached-from-an-event")


def test_logging_in_and_creating_an_event_with_the_html_form(page, panjshir, superuser):
    log_in_to_the_browsable_api(page, superuser.username)
    expect(page.locator(".navbar")).to_contain_text(superuser.username)
    page.screenshots.take("logged-in")

    page.goto("/api/v1/events/")
    form = page.locator("#post-object-form")
    form.locator("[name=title]").fill("Women march in Kabul for their rights")
    form.locator("[name=event_type]").select_option("protest")
    form.locator("[name=start_date]").fill("2021-09-07")
    page.screenshots.take("event-form-filled")
    form.get_by_role("button", name="POST").click()

    expect(page.locator(".response-info")).to_contain_text("HTTP 201 Created")
    expect(page.locator(".response-info")).to_contain_text("Women march in Kabul for their rights")
    page.screenshots.take("event-created")
    event = Event.objects.get(title="Women march in Kabul for their rights")
    assert str(event.start_date) == "2021-09-07"
    assert event.history.first().history_user == superuser


def test_a_validation_error_is_shown_readably(page, panjshir, superuser):
    log_in_to_the_browsable_api(page, superuser.username)
    page.goto("/api/v1/events/")
    form = page.locator("#post-object-form")
    form.locator("[name=title]").fill("An event that ends before it starts")
    form.locator("[name=event_type]").select_option("protest")
    form.locator("[name=start_date]").fill("2021-09-07")
    form.locator("[name=end_date]").fill("2021-09-01")

    form.get_by_role("button", name="POST").click()

    problem = page.locator(".problem-document")
    expect(problem.locator(".problem-title")).to_have_text("Bad Request (400)")
    expect(problem.locator(".problem-detail")).to_contain_text("Invalid input for")
    expect(problem.locator(".problem-errors li").first).to_contain_text("end_date")
    page.screenshots.take("validation-error")
    assert not Event.objects.filter(title="An event that ends before it starts").exists()
