"""The admin in a browser: statements listed and filtered by their verification state."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_admin_lists_statements_and_filters_them_by_verification_state(page, panjshir, superuser):
    page.goto("/admin/")
    page.fill("input[name=username]", superuser.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/claims/statement/")

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(12)
    page.screenshots.take("statements")

    page.locator("#changelist-filter").get_by_role("link", name="In review").click()

    page.wait_for_url(re.compile(r"verification_status__exact=in_review"))
    expect(rows).to_have_count(3)
    page.screenshots.take("statements-in-review")
