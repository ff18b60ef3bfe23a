"""The public commitments page and its data (no login), mounted at /public/commitments/."""

from django.urls import path

from supply_service.dashboard import views_public

app_name = "public_commitments"

urlpatterns = [
    path("", views_public.page, name="page"),
    path("feed/", views_public.PublicationFeed(), name="feed"),
    path("fulfilment.csv", views_public.csv_feed, name="csv"),
]
