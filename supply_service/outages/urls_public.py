"""Public outage pages (no login), mounted at /public/outages/ (app_name "public_outages"). `item_number` is
the kernel's (core.web)."""

from django.urls import path

from supply_service.outages.feeds import PublicOutageFeed
from supply_service.outages.views import public

app_name = "public_outages"

urlpatterns = [
    path("", public.notice_list, name="list"),
    path("feed/", PublicOutageFeed(), name="feed"),
    path("upcoming.ics", public.upcoming_ical, name="upcoming_ics"),
    path("<item_number:number>.ics", public.notice_ical, name="ics"),
    path("<item_number:number>/", public.notice_detail, name="detail"),
]
