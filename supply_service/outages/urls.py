"""Staff outage pages, mounted at /outages/ (app_name "outages"). `item_number` is the kernel's (core.web)."""

from django.urls import path

from supply_service.outages.views import editor, staff

app_name = "outages"

urlpatterns = [
    path("", staff.notice_list, name="list"),
    path("new/", editor.notice_new, name="new"),
    path("<item_number:number>/", staff.notice_detail, name="detail"),
    path("<item_number:number>/edit/", editor.notice_edit, name="edit"),
    path("<item_number:number>/do/<slug:action>/", staff.notice_step, name="step"),
    path("<item_number:number>/retry-failed/", staff.notice_retry, name="retry_failed"),
]
