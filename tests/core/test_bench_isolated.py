"""The benchmark harness (benchmarks/, `make bench`) stays out of production: its bare views are mounted only by
its own URLconf, and nothing under supply_service imports it (issue 12)."""

from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

ROOT = Path(__file__).resolve().parents[2]


def test_the_bare_views_are_not_in_the_production_urls():
    with pytest.raises(NoReverseMatch):
        reverse("bench_bare")


def test_no_production_module_imports_the_benchmarks():
    offenders = []
    for path in (ROOT / "supply_service").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "import benchmarks" in text or "from benchmarks" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
