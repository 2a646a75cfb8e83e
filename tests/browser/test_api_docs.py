"""Swagger UI and Redoc work in a browser with no internet access (every outside request fails)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_swagger_ui_loads_offline_and_try_it_out_lists_the_events(page, panjshir, outside_requests):
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("eventsapi")
    page.screenshots.take("swagger-ui", full_page=False)

    operation = page.locator("#operations-events-events_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()

    responses = operation.locator(".live-responses-table")
    expect(responses.locator("tbody .response-col_status").first).to_have_text("200")
    expect(responses.locator("tbody .response-col_description")).to_contain_text(
        "Taliban offensive on the Panjshir Valley"
    )
    page.screenshots.take("swagger-try-it-out")
    assert outside_requests == []


def test_redoc_loads_offline(page, panjshir, outside_requests):
    page.goto("/api/redoc/")

    # Redoc lays out the whole schema before it shows anything: several seconds on two cores.
    expect(page.locator("h1").first).to_contain_text("eventsapi", timeout=45_000)
    expect(page.locator("[role=navigation], .menu-content").first).to_contain_text("events")
    page.screenshots.take("redoc", full_page=False)
    assert outside_requests == []
