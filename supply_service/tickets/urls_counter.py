from django.urls import path

from supply_service.tickets import views_counter as views

app_name = "desk"

urlpatterns = [
    path("counter/", views.counter, name="counter"),
    path("counter/<str:number>/finish/", views.counter_done, name="counter_finish"),
    path("calls/", views.calls, name="calls"),
    path("calls/import/", views.calls_import, name="calls_import"),
    path("calls/<str:number>/ticket/", views.call_ticket, name="call_ticket"),
]
