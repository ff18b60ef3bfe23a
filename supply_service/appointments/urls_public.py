"""Public appointment pages (no login), mounted at /public/appointments/ (app_name "public_appointments")."""

from django.urls import path

from supply_service.appointments import views_public

app_name = "public_appointments"

urlpatterns = [
    path("", views_public.book, name="book"),
    path("code/", views_public.send_code, name="code"),
    path("manage/", views_public.manage, name="manage"),
    path("hold/", views_public.hold, name="hold"),
    path("<item_number:number>/<str:code>.ics", views_public.ics, name="ics"),
]
