"""Examples of the main operations, added to the schema by ``hooks.postprocess_schema``.

The ids are those of the Panjshir fixture (``fixtures/panjshir.json``), so each example works
as-is against ``make run``: the fuzzer sends them too.
"""

AFGHANISTAN = "34466c07-263c-43c3-8f51-419c0aa00765"
PANJSHIR = "8f5b9992-ea27-47e8-b1ca-d2299fa8cf40"
TALIBAN = "ff02aa87-061f-456e-8475-c6fe086f465a"
MUJAHID = "7bc6d407-5e58-43cf-b3be-7f5190c3dbd5"
NRF = "4f710dc3-e086-421d-9604-6336e15b4ad3"
FALL_OF_PANJSHIR = "287e51c8-1447-4128-8a73-7551eab6bcf3"
NRF_TWEET = "a13d05d1-4e5f-496d-9c65-9635c0cded45"


def _request(summary: str, value: dict) -> dict:
    return {"request": {"example": {"summary": summary, "value": value}}}


EXAMPLES = {
    "auth_token_create": _request(
        "Log in", {"username": "editor", "password": "correct horse battery staple"}
    ),
    "places_create": _request(
        "A valley within Panjshir Province",
        {
            "name": "Dara",
            "alternate_names": ["Darah"],
            "kind": "admin2",
            "country_code": "AF",
            "parent": PANJSHIR,
            "latitude": 35.36,
            "longitude": 69.73,
            "external_ids": {"geonames": "7053228"},
        },
    ),
    "actors_create": _request(
        "An NRF spokesperson",
        {
            "name": "Sibghatullah Ahmadi",
            "kind": "person",
            "aliases": ["Sebghatullah Ahmadi"],
            "description": "Spokesperson of the National Resistance Front.",
            "country_code": "AF",
            "external_ids": {"twitter": "sibghatullah_ahmadi"},
            "affiliations": [{"organization": NRF, "role": "spokesperson", "start_date": "2021-08-01"}],
        },
    ),
    "events_create": _request(
        "Fighting in the Panjshir Valley",
        {
            "title": "Clashes at the mouth of the Panjshir Valley",
            "summary": "Taliban and NRF fighters clashed near Gulbahar.",
            "event_type": "battle",
            "start_date": "2021-09-02",
            "end_date": "2021-09-03",
            "date_precision": "day",
            "place": PANJSHIR,
            "participants": [
                {"actor": TALIBAN, "role": "initiator"},
                {"actor": NRF, "role": "target"},
            ],
        },
    ),
    "sources_create": _request(
        "A tweet quoted in the article",
        {
            "url": "https://twitter.com/Zabehulah_M33/status/1434762286633185283",
            "kind": "social_post",
            "title": "Zabihullah Mujahid (@Zabehulah_M33) on Panjshir",
            "publisher": MUJAHID,
            "author": "Zabihullah Mujahid",
            "published_at": "2021-09-06T04:30:00Z",
            "language": "ps",
        },
    ),
    "statements_create": _request(
        "A claim about an event",
        {
            "text": "Panjshir province has been completely captured by the Islamic Emirate.",
            "language": "en",
            "is_direct_quote": False,
            "speaker": MUJAHID,
            "stated_on": "2021-09-06",
            "sources": [NRF_TWEET],
            "about": [{"event": FALL_OF_PANJSHIR, "stance": "supports"}],
        },
    ),
    "statements_reviews_create": _request(
        "A verdict with evidence",
        {
            "verdict": "unverifiable",
            "rationale": "Neither side's claim could be independently verified on the day.",
            "evidence": [NRF_TWEET],
        },
    ),
    "events_reviews_create": _request(
        "Start reviewing", {"verdict": "in_review", "rationale": "", "evidence": []}
    ),
    "sources_reviews_create": _request(
        "A source judged authentic",
        {"verdict": "verified", "rationale": "The account is the NRF's verified account.", "evidence": []},
    ),
}
