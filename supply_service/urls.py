from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page links: send them to the static icon."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.ico")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("supply_service.core.urls_accounts")),
    # The admin login page shows "Forgotten your password?" when this name exists: the staff reset serves both.
    path("admin/password_reset/", RedirectView.as_view(pattern_name="password_reset"), name="admin_password_reset"),
    path("admin/", admin.site.urls),
    path("customers/", include("supply_service.customers.urls")),
    path("tickets/", include("supply_service.tickets.urls")),
    path("desk/", include("supply_service.tickets.urls_counter")),
    path("outages/", include("supply_service.outages.urls")),
    path("public/outages/", include("supply_service.outages.urls_public")),
    path("public/feedback/", include("supply_service.complaints.urls_public")),
    path("public/commitments/", include("supply_service.dashboard.urls_public")),
    path("complaints/", include("supply_service.complaints.urls")),
    path("appointments/", include("supply_service.appointments.urls")),
    path("public/appointments/", include("supply_service.appointments.urls_public")),
    path("counter/", include("supply_service.counter.urls")),
    path("quality/", include("supply_service.quality.urls")),
    path("dashboard/", include("supply_service.dashboard.urls")),
    path("audits/", include("supply_service.audits.urls")),
    path("kiosk/", include("supply_service.kiosk.urls")),
    path("", include("supply_service.core.urls")),
]
