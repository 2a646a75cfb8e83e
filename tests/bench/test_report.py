"""bench/run.py's report: percentiles, and every row of RESULTS.md divided by the floor's."""

from pathlib import Path

from bench.run import Scenario, percentile, write_results


def scenario(name: str, latencies: list[float], wall: float, **extra) -> Scenario:
    measured = Scenario(name, "/", **extra)
    measured.latencies = latencies
    measured.wall = wall
    measured.statuses = {200: len(latencies)}
    return measured


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert (percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)) == (50.0, 95.0, 99.0)
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([float(n) for n in range(1, 201)], 0.95) == 190.0


def test_each_row_shows_its_figures_divided_by_the_floors(tmp_path: Path):
    floor = scenario("floor page", [10.0] * 100, wall=1.0)
    page = scenario("events page", [20.0] * 100, wall=4.0)
    export = scenario("CSV export", [5000.0], wall=5.0, accept="text/csv", requests=1)
    export.lines, export.bytes = 1001, 2 * 2**20
    export.rss_before_mb, export.peak_rss_mb = 88.0, 90.0
    results = tmp_path / "RESULTS.md"

    write_results(results, tmp_path / "latency.png", [page, export], floor, {"cores": 2})

    text = results.read_text()
    # 100 requests in 4 s against 100 in 1 s; 20 ms against 10 ms at every percentile.
    assert "| events page | 25.0 (0.25x) | 20.0 (2.00x) | 20.0 (2.00x) | 20.0 (2.00x) |" in text
    assert "| **floor**: floor page | 100.0 (1.00x) |" in text
    # A one-off export has no ratio to a page; its own figures follow the table.
    assert "| CSV export | | 5000.0 | | |" in text
    assert "- CSV export: 1,000 rows, 2 MiB in 5.0 s (200 rows/s)" in text
    assert "largest worker peak RSS 88 MiB before it, 90 MiB after" in text
    assert "- cores: 2" in text
