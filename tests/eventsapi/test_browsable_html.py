"""The browsable API as HTML: described root and lists, readable problem documents."""

import pytest

HTML = {"HTTP_ACCEPT": "text/html"}


@pytest.mark.django_db
def test_the_api_root_describes_each_resource(client):
    page = client.get("/api/v1/", **HTML).content.decode()

    for resource in ["places", "actors", "events", "sources", "statements"]:
        assert f"{resource}:" in page
        assert f'/api/v1/{resource}/"' in page


@pytest.mark.django_db
def test_each_list_has_its_description(client):
    page = client.get("/api/v1/statements/", **HTML).content.decode()

    assert "Who said what, when, where it appeared" in page


@pytest.mark.django_db
def test_a_problem_document_is_shown_readably_above_the_json(client):
    page = client.get("/api/v1/events/?page_size=oops", **HTML).content.decode()

    assert '<h4 class="problem-title">Bad Request (400)</h4>' in page
    assert "<code>page_size</code>:" in page


@pytest.mark.django_db
def test_the_filter_form_labels_fields_with_their_query_parameter(client):
    page = client.get("/api/v1/events/", **HTML).content.decode()

    assert '<label for="id_date_from">date_from:</label>' in page
    assert "[invalid name]" not in page
