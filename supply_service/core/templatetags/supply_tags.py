from django import template

from supply_service.core.services.calendar import deadline_text

register = template.Library()


@register.filter
def deadline(value) -> str:
    """A due time as people read deadlines (2026-12-01 00:00 -> 2026-11-30 24:00): `calendar.deadline_text`."""
    return deadline_text(value)


@register.simple_tag
def commitment_limit(code: str, **facts) -> str:
    """The configured limit of a commitment (or of the variant of a family that fits `facts`), in words."""
    from django.core.exceptions import ValidationError

    from supply_service.core.services.sla import commitment_resolve

    try:
        return commitment_resolve(code=code, facts=facts).display_limit
    except ValidationError:
        return ""
