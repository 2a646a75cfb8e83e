"""Write ``fixtures/panjshir-bundle.json``: the Panjshir fixture as one ``POST /api/v1/bundles/``.

``python -m tools.panjshir_bundle`` rewrites the bundle from ``fixtures/panjshir.json``, so
the two stay in step. Every record is an ``upsert`` on its natural key (places and actors by
an external id when they have one, else by name and kind; sources by url; statements by
speaker, text and day), so posting the bundle twice creates nothing the second time. Events
have no natural key of their own, so each gets a stable id in the ``eventsapi-fixture``
scheme (``EVENT_IDS``): the only data the bundle adds to the fixture. Verification statuses
come from the fixture's reviews, posted as ``review`` operations.
"""

import json
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "panjshir.json"
BUNDLE = ROOT / "fixtures" / "panjshir-bundle.json"

EVENT_ID_SCHEME = "eventsapi-fixture"
EVENT_IDS = {
    "Taliban offensive on the Panjshir Valley": "panjshir-offensive",
    "Claimed fall of the Panjshir Valley to the Taliban": "panjshir-fall",
    "Killing of NRF spokesperson Fahim Dashty": "dashty-killing",
    "Taliban yet to announce the formation of its government": "taliban-government-delayed",
}
AFFILIATION_FIELDS = ("role", "start_date", "end_date")
# Bookkeeping the server sets, and the status only reviews may change.
SERVER_FIELDS = {"version", "created_at", "updated_at", "verification_status"}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def in_dependency_order(records: list[dict], depends_on) -> list[dict]:
    """``records`` in fixture order, except that each comes after the records it refers to
    (``depends_on(record)``: their pks)."""
    by_pk = {record["pk"]: record for record in records}
    ordered, placed = [], set()

    def place(record):
        if record["pk"] not in placed:
            placed.add(record["pk"])
            for pk in depends_on(record):
                if pk in by_pk:
                    place(by_pk[pk])
            ordered.append(record)

    for record in records:
        place(record)
    return ordered


def build_bundle(fixture: list[dict]) -> dict:
    records = defaultdict(list)
    for record in fixture:
        records[record["model"]].append(record)
    children = defaultdict(list)  # (model, parent pk) -> nested rows
    for model, parent in [
        ("events.affiliation", "actor"),
        ("events.participant", "event"),
        ("claims.statementevent", "statement"),
    ]:
        for record in records[model]:
            children[model, record["fields"][parent]].append(record["fields"])

    lids = {}

    def ref(pk):
        return None if pk is None else {"lid": lids[pk]}

    def upsert(resource: str, record: dict, lid: str, match: dict, **references) -> dict:
        data = {name: value for name, value in record["fields"].items() if name not in SERVER_FIELDS}
        data.update(references)
        lids[record["pk"]] = lid
        return {"op": "upsert", "resource": resource, "lid": lid, "match": match, "data": data}

    def by_external_id_or(fields: dict, **match) -> dict:
        if fields.get("external_ids"):
            scheme = min(fields["external_ids"])
            return {"external_id": f"{scheme}:{fields['external_ids'][scheme]}"}
        return match

    operations = []
    for record in in_dependency_order(records["events.place"], lambda record: [record["fields"]["parent"]]):
        fields = record["fields"]
        match = by_external_id_or(
            fields, name=fields["name"], kind=fields["kind"], parent=ref(fields["parent"])
        )
        operations.append(upsert("places", record, slug(fields["name"]), match, parent=ref(fields["parent"])))

    def organizations(record):
        return [row["organization"] for row in children["events.affiliation", record["pk"]]]

    for record in in_dependency_order(records["events.actor"], organizations):
        fields = record["fields"]
        affiliations = [
            {"organization": ref(row["organization"]), **{key: row[key] for key in AFFILIATION_FIELDS}}
            for row in children["events.affiliation", record["pk"]]
        ]
        match = by_external_id_or(fields, name=fields["name"], kind=fields["kind"])
        operations.append(upsert("actors", record, slug(fields["name"]), match, affiliations=affiliations))

    for record in records["events.event"]:
        fields, external_id = record["fields"], EVENT_IDS[record["fields"]["title"]]
        participants = [
            {"actor": ref(row["actor"]), "role": row["role"]}
            for row in children["events.participant", record["pk"]]
        ]
        operations.append(
            upsert(
                "events",
                record,
                external_id,
                {"external_id": f"{EVENT_ID_SCHEME}:{external_id}"},
                place=ref(fields["place"]),
                participants=participants,
                external_ids={EVENT_ID_SCHEME: external_id},
            )
        )

    for number, record in enumerate(
        in_dependency_order(records["claims.source"], lambda record: record["fields"]["cites"]), 1
    ):
        fields = record["fields"]
        references = {"publisher": ref(fields["publisher"]), "cites": [ref(pk) for pk in fields["cites"]]}
        operations.append(upsert("sources", record, f"source-{number}", {"url": fields["url"]}, **references))

    statements = in_dependency_order(
        records["claims.statement"], lambda record: [record["fields"]["responds_to"]]
    )
    for number, record in enumerate(statements, 1):
        fields = record["fields"]
        match = {"speaker": ref(fields["speaker"]), "text": fields["text"], "stated_on": fields["stated_on"]}
        references = {
            "speaker": ref(fields["speaker"]),
            "sources": [ref(pk) for pk in fields["sources"]],
            "about": [
                {"event": ref(row["event"]), "stance": row["stance"]}
                for row in children["claims.statementevent", record["pk"]]
            ],
            "responds_to": ref(fields["responds_to"]),
        }
        operations.append(upsert("statements", record, f"statement-{number}", match, **references))

    for record in sorted(records["claims.review"], key=lambda record: record["fields"]["created_at"]):
        fields = record["fields"]
        resource, subject = next(
            (f"{name}s", fields[name]) for name in ("event", "statement", "source") if fields[name]
        )
        data = {
            "verdict": fields["verdict"],
            "rationale": fields["rationale"],
            "evidence": [ref(pk) for pk in fields["evidence"]],
        }
        operations.append({"op": "review", "resource": resource, "ref": ref(subject), "data": data})
    return {"operations": operations, "dry_run": False}


def main() -> None:
    bundle = build_bundle(json.loads(FIXTURE.read_text(encoding="utf-8")))
    BUNDLE.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {BUNDLE.relative_to(ROOT)}: {len(bundle['operations'])} operations.")


if __name__ == "__main__":
    main()
