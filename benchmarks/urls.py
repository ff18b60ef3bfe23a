"""Benchmark URLconf: the production URLconf plus the bare views (never mounted in production)."""

from django.urls import path

from benchmarks import bare
from supply_service.urls import urlpatterns as production

urlpatterns = [
    path("bench/bare/", bare.bare, name="bench_bare"),
    path("bench/bare-sql/<slug:name>/", bare.bare_sql, name="bench_bare_sql"),
    *production,
]
