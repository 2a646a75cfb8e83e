"""ACLED import: how long ``manage.py import_acled`` takes for a first import and a re-import.

    .venv/bin/python -m bench.imports [--rows 100000] [--profile-rows 300] [--seed 1]
                                      [--database-url URL] [--no-profile]

Target (the issue): 100,000 ACLED rows imported in ≤ 2 minutes on PostgreSQL, and a re-import
of the same file (every row unchanged, skipped by its stored digest) in ≤ 1 minute.

1. Writes a synthetic ACLED CSV of ``--rows`` rows (all 31 columns), deterministic for a
   ``--seed`` (``random.Random``): five countries with their iso/iso3 codes, 40 admin1
   regions, 200 locations with coordinates, 300 actors, 50 outlets, ACLED's event and
   sub-event types, fatalities a whole number or empty, ids ``AFG1``, ``IRN2``, ...
2. Drops and creates the database (default ``eventsapi_bench_imports``) and migrates it.
3. Times ``manage.py import_acled FILE --no-progress`` twice, in a subprocess with
   ``DATABASE_URL`` set and ``DEBUG`` off: the first import, then the re-import of the same
   file. Rows/s is rows / wall time of the command (Django start-up and reading the file
   included). When ``--rows`` is below 100,000 the 100,000-row time is an extrapolation at
   the measured rate, and the report says so.
4. Unless ``--no-profile``: recreates the database, and runs the first import of a
   ``--profile-rows`` file under ``python -m cProfile``; the report lists the top costs.

Writes bench/IMPORTS.md; the section from "## What it would take" on is kept from the
existing file (hand-written analysis). The CSV and the profile go to a temporary folder.
"""

import argparse
import datetime
import os
import platform
import pstats
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.sqlite_writers import scratch_folder

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "bench" / "IMPORTS.md"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/eventsapi_bench_imports"
TARGET_ROWS = 100_000
TARGET_FIRST_S = 120.0
TARGET_REIMPORT_S = 60.0
KEPT_SECTION = "## What it would take"
HEADER = [
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
]


# The synthetic file (pure) -------------------------------------------------------------------

# (country, iso, iso3, region, (lat min, lat max), (lon min, lon max))
COUNTRIES = [
    ("Afghanistan", 4, "AFG", "South Asia", (31.0, 37.0), (62.0, 71.0)),
    ("Iran", 364, "IRN", "Middle East", (27.0, 38.0), (45.0, 60.0)),
    ("Mali", 466, "MLI", "Western Africa", (11.0, 20.0), (-11.0, 4.0)),
    ("Sudan", 729, "SDN", "Northern Africa", (10.0, 21.0), (23.0, 36.0)),
    ("Yemen", 887, "YEM", "Middle East", (13.0, 17.5), (43.0, 52.0)),
]
# (event type, sub-event type, weight)
EVENT_TYPES = [
    ("Battles", "Armed clash", 20),
    ("Battles", "Government regains territory", 2),
    ("Battles", "Non-state actor overtakes territory", 2),
    ("Explosions/Remote violence", "Air/drone strike", 6),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 6),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 5),
    ("Explosions/Remote violence", "Suicide bomb", 1),
    ("Explosions/Remote violence", "Grenade", 1),
    ("Violence against civilians", "Attack", 10),
    ("Violence against civilians", "Abduction/forced disappearance", 3),
    ("Protests", "Peaceful protest", 20),
    ("Protests", "Protest with intervention", 4),
    ("Riots", "Violent demonstration", 4),
    ("Riots", "Mob violence", 2),
    ("Strategic developments", "Arrests", 3),
    ("Strategic developments", "Looting/property destruction", 2),
    ("Strategic developments", "Agreement", 1),
]
SYLLABLES = ["ka", "ran", "dar", "bad", "sha", "mir", "zan", "gul", "tor", "han", "sar", "kol", "bar",
             "mal", "din", "nar", "que", "tab", "al", "wa", "su", "ko", "ra", "tin", "lo", "mu"]  # fmt: skip
GROUP_WORDS = ["Front", "Brigade", "Movement", "Militia", "Council", "Army", "Union", "Alliance"]
OUTLET_WORDS = ["Herald", "Times", "Daily", "Radio", "Post", "Observer", "Press", "News", "Voice"]
SCALES = [
    "National",
    "Subnational",
    "Regional",
    "International",
    "Subnational-National",
    "Local partner-National",
]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _unique(rng: random.Random, count: int, make) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = make()
        if name not in names:
            names.append(name)
    return names


def geography(rng: random.Random) -> list[dict]:
    """200 locations, 5 in each of 40 admin1 (8 a country), each with its admin2 and admin3."""
    locations = []
    for country, iso, iso3, region, (lat0, lat1), (lon0, lon1) in COUNTRIES:
        for admin1 in _unique(rng, 8, lambda: _name(rng, 2)):
            admin2s = _unique(rng, 2, lambda: _name(rng, 3))
            for index in range(5):
                admin2 = admin2s[index % 2]
                locations.append(
                    {
                        "country": country, "iso": str(iso), "iso3": iso3, "region": region,
                        "admin1": admin1, "admin2": admin2,
                        "admin3": f"{admin2} City" if index < 2 else "",
                        "location": _name(rng, 2 + index % 2) if index else admin2,
                        "latitude": f"{rng.uniform(lat0, lat1):.4f}",
                        "longitude": f"{rng.uniform(lon0, lon1):.4f}",
                    }
                )  # fmt: skip
    return locations


def actors(rng: random.Random) -> dict[str, list[tuple[str, int]]]:
    """60 actors a country (300 in all) with their ACLED inter codes."""
    by_country = {}
    for country, *_ in COUNTRIES:
        named = [
            (f"Military Forces of {country} (2019-)", 1),
            (f"Police Forces of {country} (2019-)", 1),
            (f"Protesters ({country})", 6),
            (f"Rioters ({country})", 5),
            (f"Civilians ({country})", 7),
            (f"Unidentified Armed Group ({country})", 3),
        ]
        groups = _unique(
            rng,
            54,
            lambda country=country: (
                f"{_name(rng, 2)} {rng.choice(GROUP_WORDS)}" + rng.choice(["", f" ({country})"])
            ),
        )
        by_country[country] = named + [(name, rng.choice([2, 3, 4])) for name in groups]
    return by_country


def outlets(rng: random.Random) -> list[str]:
    return _unique(rng, 50, lambda: f"{_name(rng, 2)} {rng.choice(OUTLET_WORDS)}")


def rows(count: int, seed: int):
    """``count`` ACLED rows as lists in HEADER's order, the same for the same seed."""
    rng = random.Random(seed)
    places, cast, press = geography(rng), actors(rng), outlets(rng)
    weights = [weight for *_, weight in EVENT_TYPES]
    first_day = datetime.date(2019, 1, 1)
    for number in range(1, count + 1):
        place = rng.choice(places)
        event_type, sub_event_type, _ = rng.choices(EVENT_TYPES, weights)[0]
        people = cast[place["country"]]
        day = first_day + datetime.timedelta(days=rng.randrange(5 * 365))
        if event_type == "Protests":
            actor1, inter1 = people[2]
            actor2, inter2 = ("", 0) if rng.random() < 0.7 else people[1]
        elif event_type == "Riots":
            actor1, inter1 = people[3]
            actor2, inter2 = rng.choice(people[:2] + [people[4]])
        elif event_type == "Violence against civilians":
            actor1, inter1 = rng.choice(people[:2] + people[5:])
            actor2, inter2 = people[4]
        else:
            actor1, inter1 = rng.choice(people[:2] + people[5:])
            actor2, inter2 = rng.choice(people[:2] + people[6:]) if rng.random() < 0.85 else ("", 0)
        # An associated actor is never the main actor of its side: ACLED's lists have no duplicates.
        others1 = [person for person in people[6:] if person[0] != actor1]
        others2 = [person for person in people[6:] if person[0] not in (actor1, actor2)]
        assoc1 = "; ".join(name for name, _ in rng.sample(others1, rng.choice([0, 0, 0, 1, 2])))
        assoc2 = "; ".join(name for name, _ in rng.sample(others2, rng.choice([0, 0, 0, 0, 1])))
        sources = rng.sample(press, rng.choice([1, 1, 1, 2, 2, 3]))
        if event_type in ("Protests", "Strategic developments"):
            fatalities = "0"
        elif rng.random() < 0.1:
            fatalities = ""
        else:
            fatalities = str(min(int(rng.expovariate(0.3)), 300))
        where = place["location"]
        notes = (
            f"On {day:%d %B %Y}, "
            f"{actor1.lower() if actor1.startswith(('Protesters', 'Rioters')) else actor1} "
            f"{sub_event_type.lower()} in {where} ({place['admin1']})"
            + (f" against {actor2}" if actor2 else "")
            + (f". {fatalities} fatalities were reported." if fatalities not in ("", "0") else ".")
            + (" Numbers unknown." if fatalities == "" else "")
        )
        interaction = int(f"{min(inter1, inter2)}{max(inter1, inter2)}") if inter2 else inter1 * 10
        yield [
            str(9_000_000 + number), place["iso"], f"{place['iso3']}{number}", str(number),
            f"{day:%d %B %Y}", str(day.year), rng.choice("1111112223"), event_type, sub_event_type,
            actor1, assoc1, str(inter1), actor2, assoc2, str(inter2) if inter2 else "0", str(interaction),
            place["region"], place["country"], place["admin1"], place["admin2"], place["admin3"], where,
            place["latitude"], place["longitude"], rng.choice("1112"), "; ".join(sources), rng.choice(SCALES),
            notes, fatalities, str(1_600_000_000 + number * 37), place["iso3"],
        ]  # fmt: skip


def write_csv(path: Path, count: int, seed: int) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(count, seed))


# Running -------------------------------------------------------------------------------------


def environment(database_url: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "EVENTSAPI_DEVDATA")}
    env.update(
        {"DATABASE_URL": database_url, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "eventsapi.settings"}
    )
    return env


def recreate_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(database_url).path.lstrip("/")
    maintenance = urlsplit(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env=environment(database_url), check=True,
    )  # fmt: skip
    print(f"Created and migrated {name}.", flush=True)


def timed_import(path: Path, database_url: str, prefix: list[str] | None = None) -> tuple[float, str]:
    """Wall seconds of ``manage.py import_acled path --no-progress``, and its summary."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *(prefix or []), "manage.py", "import_acled", str(path), "--no-progress"],
        cwd=ROOT, env=environment(database_url), capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"import_acled failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-4000:]}")
    return seconds, done.stdout.strip()


def machine(database_url: str) -> dict:
    import psycopg

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    with psycopg.connect(database_url) as connection:
        postgres = connection.execute("SELECT version()").fetchone()[0].split(" on ")[0]
        settings = {
            name: connection.execute(f"SHOW {name}").fetchone()[0]
            for name in ("synchronous_commit", "shared_buffers", "fsync")
        }
    return {
        "CPU": cpu,
        "cores (nproc)": os.cpu_count(),
        "RAM": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "PostgreSQL": postgres + " (" + ", ".join(f"{k}={v}" for k, v in settings.items()) + ")",
        "Python": platform.python_version(),
        "OS": platform.platform(),
    }


def profile(database_url: str, folder: Path, count: int, seed: int) -> dict:
    """A first import of ``count`` rows under cProfile: the top functions by cumulative time."""
    path = folder / f"acled_{count}.csv"
    write_csv(path, count, seed)
    recreate_database(database_url)
    output = folder / "import.prof"
    seconds, summary = timed_import(path, database_url, ["-m", "cProfile", "-o", str(output)])
    stats = pstats.Stats(str(output))
    total = stats.total_tt
    entries = []
    for (filename, line, function), (primitive, calls, tottime, cumtime, _) in stats.stats.items():
        short = filename.replace(str(ROOT) + "/", "")
        short = short.split("site-packages/")[-1]
        entries.append({"function": f"{short}:{line}({function})", "calls": calls, "primitive": primitive,
                        "tottime": tottime, "cumtime": cumtime})  # fmt: skip
    by_cum = sorted(entries, key=lambda entry: entry["cumtime"], reverse=True)
    by_tot = sorted(entries, key=lambda entry: entry["tottime"], reverse=True)

    def calls_of(fragment: str) -> int:
        return sum(entry["calls"] for entry in entries if fragment in entry["function"])

    return {
        "rows": count, "seconds": seconds, "profiled_s": total, "summary": summary,
        "by_cumtime": by_cum, "by_tottime": by_tot[:15],
        "queries": calls_of("django/db/backends/utils.py:") and sum(
            entry["calls"] for entry in entries
            if entry["function"].startswith("django/db/backends/utils.py:")
            and entry["function"].endswith("(_execute)")
        ),
    }  # fmt: skip


# The report ----------------------------------------------------------------------------------


def _met(seconds: float, target: float) -> str:
    return "**met**" if seconds <= target else "**missed**"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:,.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:,.1f} min"
    return f"{seconds / 3600:,.1f} h"


def write_report(run: dict, facts: dict, prof: dict | None, options) -> None:
    rows_n, first, again = run["rows"], run["first_s"], run["reimport_s"]
    first_rate, again_rate = rows_n / first, rows_n / again
    extrapolated = rows_n < TARGET_ROWS
    first_100k, again_100k = TARGET_ROWS / first_rate, TARGET_ROWS / again_rate
    note = " (extrapolated)" if extrapolated else ""
    lines = [
        "# Imports: ACLED's CSV through `manage.py import_acled`",
        "",
        "Written by `make bench-imports` (bench/imports.py). Target (the issue): 100,000 ACLED rows",
        "imported in ≤ 2 minutes on PostgreSQL; a re-import of the same file in ≤ 1 minute.",
        "",
        "    make bench-imports                      # 100,000 rows (BENCH_IMPORT_ROWS)",
        "    make bench-imports BENCH_IMPORT_ROWS=2000",
        "    .venv/bin/python -m bench.imports --rows 2000 --profile-rows 300",
        "",
        "The file is synthetic and deterministic (`random.Random(seed)`): 31 ACLED columns, 5",
        "countries, 40 admin1, 200 locations with coordinates, 300 actors, 50 outlets, ACLED's",
        "event and sub-event types, 1-3 outlets and 0-2 associated actors a row, fatalities a whole",
        "number or empty, every `event_id_cnty` unique. The database is dropped, created and",
        "migrated first; each import is `manage.py import_acled FILE --no-progress` in its own",
        "process with `DATABASE_URL` set and DEBUG off, timed by wall clock (Django start-up and",
        "reading the file included). The re-import is the same file again: every row unchanged.",
        "",
        "## Results",
        "",
        "| rows | first import | rows/s | re-import | rows/s | 100,000 rows: first / re-import"
        " | target | met? |",
        "|---|---|---|---|---|---|---|---|",
        f"| {rows_n:,} | {_duration(first)} | {first_rate:,.1f} | {_duration(again)} | {again_rate:,.1f} "
        f"| {_duration(first_100k)} / {_duration(again_100k)}{note} | ≤ 2 min / ≤ 1 min "
        f"| first {_met(first_100k, TARGET_FIRST_S)}, re-import {_met(again_100k, TARGET_REIMPORT_S)} |",
        "",
    ]
    if extrapolated:
        lines += [
            f"The 100,000-row times are an **extrapolation** from {rows_n:,} measured rows at the",
            "measured rate (rows / wall time), not a measurement. It assumes the rate stays flat;",
            "it would more likely fall as the tables grow (every row looks places, actors and",
            "sources up by name or url), so the extrapolation is a best case.",
            f"The first import would need to be {first_100k / TARGET_FIRST_S:,.0f}x faster to",
            f"meet its target ({TARGET_ROWS / TARGET_FIRST_S:,.0f} rows/s), the re-import",
            f"{again_100k / TARGET_REIMPORT_S:,.1f}x ({TARGET_ROWS / TARGET_REIMPORT_S:,.0f} rows/s).",
            "",
        ]
    lines += [
        "Summaries the command printed:",
        "",
        "- first import: " + run["first_summary"].replace("\n", "; "),
        "- re-import: " + run["reimport_summary"].replace("\n", "; "),
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in facts.items()]
    lines += [
        f"- seed: {options.seed}",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
    ]
    if prof:
        per_row = prof["profiled_s"] / prof["rows"]
        lines += [
            "## Where the time goes (cProfile)",
            "",
            f"`python -m cProfile manage.py import_acled FILE --no-progress`, first import of "
            f"{prof['rows']:,} rows into a fresh database: {prof['seconds']:,.1f} s wall "
            f"({prof['profiled_s']:,.1f} s profiled, {per_row * 1000:,.0f} ms a row under the profiler; "
            f"{prof['queries']:,} SQL statements through Django, "
            f"{prof['queries'] / prof['rows']:,.0f} a row).",
            "",
            "Top by cumulative time, functions called at least once every two rows (the per-row work;",
            "start-up and the command's wrappers left out); ms/row = cumulative / rows:",
            "",
            "| function | calls | calls/row | cumulative s | ms/row | share |",
            "|---|---|---|---|---|---|",
        ]
        per_row_entries = [entry for entry in prof["by_cumtime"] if entry["calls"] * 2 >= prof["rows"]]
        for entry in per_row_entries[:45]:
            lines.append(
                f"| `{entry['function']}` | {entry['calls']:,} | {entry['calls'] / prof['rows']:,.1f} "
                f"| {entry['cumtime']:,.2f} | {entry['cumtime'] * 1000 / prof['rows']:,.1f} "
                f"| {entry['cumtime'] / prof['profiled_s']:.0%} |"
            )
        lines += [
            "",
            "Top by own time (tottime):",
            "",
            "| function | calls | own s | share |",
            "|---|---|---|---|",
        ]
        for entry in prof["by_tottime"]:
            lines.append(f"| `{entry['function']}` | {entry['calls']:,} | {entry['tottime']:,.2f} "
                         f"| {entry['tottime'] / prof['profiled_s']:.0%} |")  # fmt: skip
        lines.append("")
    kept = ""
    if REPORT.exists() and KEPT_SECTION in REPORT.read_text():
        kept = KEPT_SECTION + REPORT.read_text().split(KEPT_SECTION, 1)[1]
    REPORT.write_text("\n".join(lines) + ("\n" + kept.rstrip() + "\n" if kept else ""))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=TARGET_ROWS)
    parser.add_argument("--profile-rows", type=int, default=300)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--csv", help="Only write the synthetic CSV to this path and stop.")
    options = parser.parse_args()
    if options.csv:
        write_csv(Path(options.csv), options.rows, options.seed)
        return
    folder = scratch_folder("bench-imports-")
    path = folder / f"acled_{options.rows}.csv"
    write_csv(path, options.rows, options.seed)
    print(f"Wrote {options.rows:,} rows to {path} ({path.stat().st_size / 1e6:,.1f} MB).", flush=True)
    recreate_database(options.database_url)
    facts = machine(options.database_url)
    first, first_summary = timed_import(path, options.database_url)
    print(f"First import: {first:,.1f} s ({options.rows / first:,.1f} rows/s). {first_summary}", flush=True)
    again, again_summary = timed_import(path, options.database_url)
    print(f"Re-import: {again:,.1f} s ({options.rows / again:,.1f} rows/s). {again_summary}", flush=True)
    run = {"rows": options.rows, "first_s": first, "first_summary": first_summary,
           "reimport_s": again, "reimport_summary": again_summary}  # fmt: skip
    prof = (
        None
        if options.no_profile
        else profile(options.database_url, folder, options.profile_rows, options.seed)
    )
    write_report(run, facts, prof, options)
    print(REPORT.read_text())


if __name__ == "__main__":
    main()
