import pytest


@pytest.fixture(autouse=True)
def _fresh_once_a_day_logs():
    """The calendar's once-a-day log notes (module and cache) start empty in every kernel test."""
    from django.core.cache import cache

    from supply_service.core.services import calendar

    calendar._fallback_logged.clear()
    cache.clear()
    yield
