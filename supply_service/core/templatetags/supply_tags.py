from datetime import time, timedelta

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def deadline(value) -> str:
    """A due time as people read deadlines: a day limit ending at 00:00 shows as 24:00 of the day before
    (2026-12-01 00:00 -> 2026-11-30 24:00, the civil-code reading of "within N days")."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if local.time() == time(0, 0):
        return f"{(local - timedelta(days=1)):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"
