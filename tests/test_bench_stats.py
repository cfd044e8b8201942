"""The bench's own arithmetic: percentiles and the figures table (bench/stats.py)."""

import math

from bench.stats import percentile, summary, table


def test_percentile_is_the_nearest_rank_without_interpolation():
    values = [float(n) for n in range(1, 101)]  # 1..100

    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0


def test_percentile_of_few_samples_is_a_measured_one():
    values = [30.0, 10.0, 20.0]

    assert percentile(values, 50) == 20.0
    assert percentile(values, 95) == 30.0
    assert percentile(values, 1) == 10.0


def test_percentile_of_nothing_is_not_a_number():
    assert math.isnan(percentile([], 95))


def test_summary_rounds_to_a_tenth_of_a_millisecond():
    assert summary([1.04, 2.06, 3.0, 4.55]) == {"p50": 2.1, "p95": 4.5, "p99": 4.5, "max": 4.5}


def test_table_aligns_columns_and_shows_missing_values_as_dashes():
    text = table(
        ["target", "p95 ms", "req/s"], [["dashboard", 12.345, 1234], ["recommend", 5.0, None]]
    )

    assert text.splitlines() == [
        "target     p95 ms  req/s",
        "---------  ------  -----",
        "dashboard    12.3  1,234",
        "recommend     5.0      -",
    ]
