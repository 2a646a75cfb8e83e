"""Source URL normalisation: one address, one source.

Two URLs name the same source when they differ only in the case of the scheme or host,
an explicit default port, a fragment, or tracking parameters (``utm_*``, ``fbclid``...).
The same function runs on write and in the ``url`` filter, so a newsroom app can ask
"do we already have this tweet?" with whatever address it holds.
"""

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref_src", "ref_url"}
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMETERS


# Addresses normalised lately, and each canonical form itself (normalising is idempotent): a
# bulk import normalises each of its addresses when it looks for it, then in Source.clean().
_RECENT: dict[str, str] = {}
_RECENT_MAX = 50_000


def normalize_source_url(url: str) -> str:
    """Return the canonical form of ``url``; raises ``ValueError`` if it is not a URL."""
    known = _RECENT.get(url)
    if known is not None:
        return known
    canonical = _normalize(url)
    if len(_RECENT) >= _RECENT_MAX:
        _RECENT.clear()
    _RECENT[url] = canonical
    _RECENT[canonical] = canonical
    return canonical


def _normalize(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError("Enter an http or https URL.")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        credentials = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{credentials}@{netloc}"
    query = urlencode(
        [
            (name, value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if not _is_tracking(name)
        ]
    )
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def remember_canonical(urls: Iterable[str]) -> None:
    """Note ``urls`` as canonical forms already (``normalize_source_url`` returns them as they
    are): for addresses another process of the same import normalised."""
    for url in urls:
        if len(_RECENT) >= _RECENT_MAX:
            _RECENT.clear()
        _RECENT[url] = url
