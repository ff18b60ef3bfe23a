from django.urls import path

from supply_service.complaints import views_public

app_name = "public_feedback"

urlpatterns = [
    path("", views_public.feedback, name="new"),
    path("track/", views_public.track, name="track"),
    path("kiosk/", views_public.feedback_kiosk, name="kiosk"),
]
