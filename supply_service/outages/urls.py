"""Staff outage pages, mounted at /outages/ (app_name "outages"). `outage_number` is registered by views.common."""

from django.urls import path

from supply_service.outages.views import editor, staff

app_name = "outages"

urlpatterns = [
    path("", staff.notice_list, name="list"),
    path("new/", editor.notice_new, name="new"),
    path("<outage_number:number>/", staff.notice_detail, name="detail"),
    path("<outage_number:number>/edit/", editor.notice_edit, name="edit"),
    path("<outage_number:number>/do/<slug:action>/", staff.notice_step, name="step"),
    path("<outage_number:number>/retry-failed/", staff.notice_retry, name="retry_failed"),
]
