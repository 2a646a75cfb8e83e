"""Source addresses: normalising is idempotent, which the memo of recent addresses relies on."""

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims import urls_normalization
from claims.urls_normalization import normalize_source_url

hosts = st.sampled_from(["Example.COM", "news.example.org", "[::1]", "example.com:443", "example.com:8080"])
paths = st.lists(st.text("abcXYZ-_.~%20é/", max_size=8), max_size=3).map("/".join)
parameters = st.lists(
    st.tuples(
        st.sampled_from(["id", "utm_source", "q", "fbclid", "a b", "é"]), st.text("xy z&=+%é", max_size=5)
    ),
    max_size=4,
)


@given(
    scheme=st.sampled_from(["http", "https", "HTTPS"]),
    host=hosts,
    path=paths,
    query=parameters,
    fragment=st.text("abc", max_size=3),
)
def test_normalising_a_canonical_address_changes_nothing(scheme, host, path, query, fragment):
    url = f"{scheme}://{host}/{path}?{urlencode(query)}#{fragment}"
    urls_normalization._RECENT.clear()
    canonical = normalize_source_url(url)
    urls_normalization._RECENT.clear()

    assert urls_normalization._normalize(canonical) == canonical
    assert normalize_source_url(url) == canonical  # from the memo this time


def test_the_memo_gives_what_normalising_gives_and_stays_bounded(monkeypatch):
    monkeypatch.setattr(urls_normalization, "_RECENT_MAX", 4)
    urls_normalization._RECENT.clear()
    for number in range(10):
        url = f"HTTPS://Example.com:443/{number}?utm_source=x&id={number}#top"
        assert normalize_source_url(url) == f"https://example.com/{number}?id={number}"
        assert len(urls_normalization._RECENT) <= 4 + 2


def test_an_address_that_is_no_url_is_refused_every_time():
    for _ in range(2):
        with pytest.raises(ValueError, match="http or https"):
            normalize_source_url("ftp://example.com/file")
