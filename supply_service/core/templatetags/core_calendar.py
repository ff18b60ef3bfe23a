"""`{% calendar_warnings %}`: the missing-calendar warnings, for users who may change the calendar."""

from django import template
from django.utils.html import format_html, format_html_join

from supply_service.core.services.calendar import calendar_missing_years
from supply_service.core.services.holiday_notice import missing_year_message

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_warnings(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("core.change_calendarday"):
        return ""
    years = calendar_missing_years()
    if not years:
        return ""
    items = format_html_join("", '<li class="warning">{}</li>', ((missing_year_message(y),) for y in years))
    # The live region wraps the list: a role on the <ul> itself would leave its items outside a list.
    return format_html('<div role="alert"><ul class="messagelist" id="calendar-warnings">{}</ul></div>', items)
