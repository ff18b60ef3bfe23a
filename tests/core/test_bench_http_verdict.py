"""`make bench`'s verdict on the kiosk over HTTP: the median of the paired slices' throughput ratios (a burst of
another load in one slice moves one pair, not the verdict); any error fails it."""

from benchmarks.http import HttpResult, http_ok, http_ratio, http_table


def _result(name: str, per_second: float, errors: int = 0, pairs=None) -> HttpResult:
    return HttpResult(name=name, requests=int(per_second * 10), errors=errors, seconds=10.0, median_ms=1.0, p95_ms=2.0,
                      pair_ratios=pairs)


def test_the_median_of_the_pairs_decides_not_one_burst():
    bare = _result("bare", 500)
    kiosk = _result("kiosk", 250, pairs=[0.62, 0.64, 0.2, 0.61, 0.63])  # one slice hit by a burst
    assert http_ratio(kiosk, bare) == 0.62
    assert http_ok(kiosk, bare, 0.6)
    assert not http_ok(_result("kiosk", 250, pairs=[0.5, 0.55, 0.9, 0.58, 0.52]), bare, 0.6)
    table = http_table(kiosk, bare, 0.6)
    assert "0.62x the bare view's, median of 5 paired slices" in table and "whole runs 0.50x" in table
    assert table.endswith(": ok")


def test_errors_fail_and_without_pairs_the_whole_runs_count():
    bare = _result("bare", 500)
    assert not http_ok(_result("kiosk", 400, errors=1, pairs=[0.8, 0.8, 0.8]), bare, 0.6)
    assert http_ratio(_result("kiosk", 350), bare) == 0.7
    assert http_ok(_result("kiosk", 350), bare, None)
