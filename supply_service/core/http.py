"""What the kernel knows about an HTTP request: the client's address as the deployment says to trust it."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` proxies the address the nearest of them saw (X-Forwarded-For
    read from the right, so a client cannot forge it by sending its own header)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]


# A kiosk terminal's own random id: a signed cookie set when the terminal is bound to an office (kiosk.access).
# Read here so that every app (the kiosk's sign-in throttle, the suggestion box's rate limit) knows one terminal.
TERMINAL_COOKIE = "kiosk_terminal"
TERMINAL_COOKIE_SALT = "supply_service.kiosk.terminal"


def terminal_id(request: HttpRequest) -> str | None:
    """The bound kiosk terminal's id from its signed cookie; None when there is none or its signature is wrong."""
    return request.get_signed_cookie(TERMINAL_COOKIE, default=None, salt=TERMINAL_COOKIE_SALT)
