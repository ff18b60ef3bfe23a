from django.urls import path
from django.views.generic import RedirectView

from supply_service.tickets import views_counter as views

app_name = "desk"

urlpatterns = [
    # the counter desk moved to the counter app (issue 15): old bookmarks land there
    path("counter/", RedirectView.as_view(pattern_name="counter:desk", permanent=False), name="counter"),
    path("calls/", views.calls, name="calls"),
    path("calls/import/", views.calls_import, name="calls_import"),
    path("calls/<str:number>/ticket/", views.call_ticket, name="call_ticket"),
]
