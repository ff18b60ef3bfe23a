"""The project's URLs plus /kiosk/ when the lead has not mounted it yet (the kiosk app needs no INSTALLED_APPS
entry: it has no models and no template tags)."""

from django.urls import include, path

from supply_service.urls import urlpatterns as project_patterns

urlpatterns = list(project_patterns)
if not any(str(getattr(p, "pattern", "")) == "kiosk/" for p in project_patterns):
    urlpatterns.insert(0, path("kiosk/", include("supply_service.kiosk.urls")))
