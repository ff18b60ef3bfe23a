"""The project's URLs plus the outage pages where the project does not mount them yet (the lead mounts them in
supply_service/urls.py; from then on this module adds nothing and the tests run against the real mounts)."""

from django.urls import URLResolver, include, path

from supply_service.urls import urlpatterns as project_patterns


def _mounted(namespace: str, patterns=project_patterns) -> bool:
    return any(
        isinstance(pattern, URLResolver)
        and (pattern.namespace == namespace or _mounted(namespace, pattern.url_patterns))
        for pattern in patterns
    )


urlpatterns = []
if not _mounted("public_outages"):
    urlpatterns.append(path("public/outages/", include("supply_service.outages.urls_public")))
if not _mounted("outages"):
    urlpatterns.append(path("outages/", include("supply_service.outages.urls")))
urlpatterns += project_patterns
