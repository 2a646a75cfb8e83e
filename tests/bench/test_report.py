"""bench/run.py's report: percentiles, every row divided by the floor's, and growth between sizes."""

from pathlib import Path

from bench.run import percentile, write_results


def figures(throughput: float, latency: float, **extra) -> dict:
    return {
        "throughput": throughput,
        "p50": latency,
        "p95": latency * 2,
        "p99": latency * 3,
        "failed": 0,
        "client_cpu_share": 0.1,
        "peak_rss_mb": 90.0,
        **extra,
    }


def run(events: int, page_throughput: float) -> dict:
    return {
        "events": events,
        "context": {"cores": 2},
        "floor": {"name": "floor page", **figures(100.0, 10.0)},
        "rows": [
            {"name": "events page", **figures(page_throughput, 20.0)},
            {"name": "CSV export", "seconds": 5.0, "status": 200, "bytes": 2 * 2**20, "rows": 1000},
        ],
        "first_page_rounds": [(page_throughput, 100.0)],
    }


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert (percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)) == (50.0, 95.0, 99.0)
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([float(n) for n in range(1, 201)], 0.95) == 190.0


def test_each_row_shows_its_figures_divided_by_the_floors(tmp_path: Path):
    results = tmp_path / "RESULTS.md"

    write_results(results, tmp_path / "latency.png", [run(1_000_000, 25.0)])

    text = results.read_text()
    assert (
        "| events page | 25.0 (0.25x) | 20.0 (2.00x) | 40.0 (2.00x) | 60.0 (2.00x) | 0 | 10% | 90 |" in text
    )
    assert "| **floor**: floor page | 100.0 (1.00x) |" in text
    # A one-off export has no ratio to a page; its own figures follow the table.
    assert "- CSV export: 1,000 rows, 2 MiB in 5.0 s (200 rows/s), status 200." in text
    assert "- cores: 2" in text
    assert "Growth" not in text


def test_two_sizes_get_a_growth_table(tmp_path: Path):
    results = tmp_path / "RESULTS.md"

    write_results(results, tmp_path / "latency.png", [run(1_000_000, 50.0), run(5_000_000, 40.0)])

    text = results.read_text()
    assert "## Growth: 1,000,000 to 5,000,000 events" in text
    assert "| events page | 40.0 (0.80x) | 20.0 (1.00x) | 40.0 (1.00x) | 60.0 (1.00x) |" in text
