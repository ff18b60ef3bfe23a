"""The kiosk session: the terminal's office, the verified customer (only a pk and times), idle enforcement.

Nothing about a customer ever travels in a URL or a parameter: the account pages read the customer from here.
"""

import secrets
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from supply_service.core.http import TERMINAL_COOKIE, TERMINAL_COOKIE_SALT, client_ip, terminal_id
from supply_service.core.services.policy import policy_int

CUSTOMER = "kiosk_customer"          # the verified customer's pk
VERIFIED_AT = "kiosk_verified_at"    # when (epoch seconds)
SEEN_AT = "kiosk_seen_at"            # the last request of the verified session (epoch seconds), for the idle rule
FAILURES = "kiosk_failures"          # failed verifications in this session
OFFICE = "kiosk_office"              # the terminal's office (pk)
OFFICE_COOKIE = "kiosk_office"       # ... and the same as a long-lived signed cookie (its code): survives "Finish"
OFFICE_COOKIE_SALT = "supply_service.kiosk.office"
OFFICE_COOKIE_AGE = 10 * 365 * 24 * 3600
# TERMINAL_COOKIE / TERMINAL_COOKIE_SALT / terminal_id: a bound terminal's own random id (core.http, signed cookie)
CLIENT_SALT = "supply_service.kiosk.client"
# The time of activity is written to the session only once it has moved by this share of the idle time: no session
# save (3 queries) on every page turn. A session may so end up to this share early, never late.
SEEN_REFRESH_SHARE = 0.1


def client_hash(request: HttpRequest) -> str:
    """The terminal as the lookup log and the terminal throttle know it: HMAC-SHA256 (key derived from SECRET_KEY)
    of the client's address as the deployment trusts it (`core.http.client_ip`: behind the configured proxies the
    forwarded address, never a header the client made up) and, on a bound terminal, of its own id as well — so the
    kiosks of one office behind one address (NAT, proxy) are throttled each on its own."""
    terminal = terminal_id(request)
    key = client_ip(request) + (f"|{terminal}" if terminal else "")
    return salted_hmac(CLIENT_SALT, key, algorithm="sha256").hexdigest()


def now_ts() -> float:
    return timezone.now().timestamp()


def session_failures(request: HttpRequest) -> int:
    return int(request.session.get(FAILURES, 0))


def note_failure(request: HttpRequest) -> None:
    request.session[FAILURES] = session_failures(request) + 1


def start_verified_session(request: HttpRequest, *, customer_pk: int) -> None:
    """A new session key and CSRF token (no fixation), then only the customer's pk and the verification time
    (and the time of the last request, for the idle rule)."""
    request.session.cycle_key()
    rotate_token(request)
    request.session.pop(FAILURES, None)
    at = now_ts()
    request.session[CUSTOMER] = customer_pk
    request.session[VERIFIED_AT] = at
    request.session[SEEN_AT] = at


def end_session(request: HttpRequest) -> None:
    request.session.flush()


def is_verified(request: HttpRequest) -> bool:
    return request.session.get(CUSTOMER) is not None


def verified_customer_pk(request: HttpRequest, *, idle_seconds: int) -> int | None:
    """The verified customer's pk, or None. A session idle for longer than the policy is ended here (server side,
    whatever the page's countdown did); otherwise this request counts as activity (written to the session when the
    last written activity is older than `SEEN_REFRESH_SHARE` of the idle time)."""
    pk = request.session.get(CUSTOMER)
    if pk is None:
        return None
    now = now_ts()
    idle = now - float(request.session.get(SEEN_AT, 0))
    if idle > idle_seconds:
        end_session(request)
        messages.info(request, _("The session ended after a time without use. Please check your account again."))
        return None
    if idle >= idle_seconds * SEEN_REFRESH_SHARE:
        request.session[SEEN_AT] = now
    return int(pk)


def verified_required(view: Callable) -> Callable:
    """Run the view with `customer_pk` and `idle_seconds` from the session; otherwise go to the verify page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        idle_seconds = policy_int("kiosk_idle_seconds")
        pk = verified_customer_pk(request, idle_seconds=idle_seconds)
        if pk is None:
            return redirect("kiosk:verify")
        return view(request, *args, customer_pk=pk, idle_seconds=idle_seconds, **kwargs)

    return wrapper


def remember_office(request: HttpRequest, response: HttpResponse, office) -> HttpResponse:
    """Bind the terminal to the office; a terminal bound for the first time gets its own random id."""
    request.session[OFFICE] = office.pk
    cookie = {"max_age": OFFICE_COOKIE_AGE, "httponly": True, "samesite": "Lax",
              "secure": settings.SESSION_COOKIE_SECURE}
    response.set_signed_cookie(OFFICE_COOKIE, office.code, salt=OFFICE_COOKIE_SALT, **cookie)
    response.set_signed_cookie(TERMINAL_COOKIE, terminal_id(request) or secrets.token_urlsafe(16),
                               salt=TERMINAL_COOKIE_SALT, **cookie)
    return response


def office_reference(request: HttpRequest) -> tuple[int | None, str | None]:
    """(pk from the session, code from the signed cookie) of the terminal's office; either may be None."""
    raw = request.COOKIES.get(OFFICE_COOKIE)
    code = _VERIFIED.get(raw, _UNREAD) if raw is not None else None
    if code is _UNREAD:  # a signed value checked once per process (issue 12: a thousand calls on every kiosk page)
        code = request.get_signed_cookie(OFFICE_COOKIE, default=None, salt=OFFICE_COOKIE_SALT)
        if code is not None:  # only a good signature is remembered
            if len(_VERIFIED) >= 4096:
                _VERIFIED.clear()
            _VERIFIED[raw] = code
    return request.session.get(OFFICE), code


_UNREAD = object()
_VERIFIED: dict[str, str] = {}  # signed cookie value -> the office code it carries (the signature was good)
