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


def test_every_benchmarked_page_is_judged_against_a_budget():
    """`make bench` holds every page to a budget in benchmarks/budgets.toml: its own, or `page` (none is shown
    without being judged)."""
    import ast

    from benchmarks.run import Page, budgets

    limits = budgets()
    assert Page("any", "/").budget == "page" and limits["page"] > 0
    tree = ast.parse((ROOT / "benchmarks" / "run.py").read_text(encoding="utf-8"))
    named = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Page":
            given = [kw.value for kw in node.keywords if kw.arg == "budget"] + node.args[3:4]
            named += [value.value for value in given if isinstance(value, ast.Constant)]
    assert len(named) > 20 and all(key in limits for key in named), sorted(set(named) - set(limits))
