"""Kiosk pages: public information without verification, one customer's account after verification (S8.5, S9.5).

Typed function views; the customer always comes from the session (`access.verified_required`), never from the URL.
"""

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supply_service.core.panels import panels_with
from supply_service.core.services.policy import policy_int
from supply_service.core.templatetags.language_names import translated_name
from supply_service.customers.kiosk_verification import KioskRefused, customer_verify_for_kiosk
from supply_service.customers.models import Customer
from supply_service.kiosk import access, selectors
from supply_service.kiosk.forms import SECTIONS, VerifyForm
from supply_service.kiosk.i18n import DEFAULT_LANGUAGE, KIOSK_LANGUAGES, heading, headings, is_rtl

HOME_TILES = [
    # (key, URL name, needs verification, account section)
    ("bills", "kiosk:account", True, "bills"),
    ("progress", "kiosk:account", True, "progress"),
    ("outages", "kiosk:outages", False, ""),
    ("tariffs", "kiosk:tariffs", False, ""),
    ("procedures", "kiosk:procedures", False, ""),
    ("payment_methods", "kiosk:payment_methods", False, ""),
    ("tips", "kiosk:tips", False, ""),
    ("appointments", "kiosk:appointments", True, "appointments"),  # book an appointment (S9.4)
    ("feedback", "public_feedback:kiosk", False, ""),  # the suggestion box (S13.1)
    ("queue", "counter:take", False, ""),  # take a queue number (counter)
]


def _languages() -> list[dict]:
    """Each language in its own script (`label`) and named in the active language (`name`, for screen readers)."""
    current = translation.get_language() or DEFAULT_LANGUAGE
    return [{"code": code, "label": label, "name": translated_name(code), "rtl": is_rtl(code),
             "current": code == current} for code, label in KIOSK_LANGUAGES]


def _terminal_language(view):
    """A bound terminal speaks the office's languages, not the browser's: until the customer picks a language
    (the language cookie), a page is in Chinese — the headings add the office's signage language beside it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and any(access.office_reference(request)):
            translation.activate(DEFAULT_LANGUAGE)
            request.LANGUAGE_CODE = DEFAULT_LANGUAGE
        return view(request, *args, **kwargs)

    return wrapper


_UNSET = object()


def _terminal_office(request: HttpRequest):
    pk, code = access.office_reference(request)
    return selectors.office_for_terminal(pk=pk, code=code)


def _render(request: HttpRequest, template: str, context: dict, *, title: str, idle_seconds: int | None = None,
            verified: bool | None = None, office=_UNSET, status: int = 200) -> HttpResponse:
    """Every kiosk page: the terminal's office and its signage language, bilingual headings (`h`), the language
    buttons, and the idle countdown (verified sessions everywhere; on an office terminal, any page but a fresh
    home page)."""
    office = _terminal_office(request) if office is _UNSET else office
    signage = office.signage_language if office else ""
    verified = access.is_verified(request) if verified is None else verified
    language = translation.get_language() or DEFAULT_LANGUAGE
    pristine = title == "home" and not verified and language == DEFAULT_LANGUAGE
    if idle_seconds is None and (verified or (office is not None and not pristine)):
        idle_seconds = policy_int("kiosk_idle_seconds")
    h = headings(signage=signage)
    for tile in context.get("tiles", ()):
        tile["parts"] = h[tile["key"]]
        tile["note"] = h["locked"] if tile["locked"] else ()
    for panel in context.get("panels", ()):  # other apps' sections: their title, bilingual like the kiosk's own
        panel["parts"] = heading(panel["context"]["title"], signage=signage)
    return render(request, template, {
        **context,
        "office": office,
        "terminal": office is not None,
        "signage": signage,
        "h": h,
        "title": h[title],
        "document_title": f"{h[title][0].text} · {h['site'][0].text}",  # the tab's (a template's `title.0.text`
        # is a failed lookup on a tuple before the index: Django then lists the tuple's attributes, twice a page)
        "page": title,
        "kiosk_languages": _languages,  # called by the template only when the switcher is not remembered ({% once %})
        "kiosk_next": context.get("next_url") or request.path,
        "verified": verified,
        "idle_seconds": idle_seconds,
    }, status=status)


def _public_activity(request: HttpRequest) -> tuple[bool, int | None]:
    """On public pages a verified session stays alive (or ends when idle) like on the account page."""
    if not access.is_verified(request):
        return False, None
    idle_seconds = policy_int("kiosk_idle_seconds")
    return access.verified_customer_pk(request, idle_seconds=idle_seconds) is not None, idle_seconds


@require_GET
@_terminal_language
def home(request: HttpRequest) -> HttpResponse:
    verified, idle_seconds = _public_activity(request)
    tiles = []
    for key, url_name, needs_verification, section in HOME_TILES:
        if needs_verification and not verified:
            url = f"{reverse('kiosk:verify')}?section={section}"
        else:
            url = reverse(url_name) + (f"#{section}" if section else "")
        tiles.append({"key": key, "url": url, "locked": needs_verification and not verified})
    return _render(request, "kiosk/home.html", {"tiles": tiles}, title="home", verified=verified,
                   idle_seconds=idle_seconds)


@require_GET
def set_office(request: HttpRequest, code: str) -> HttpResponse:
    """Set up a terminal: it belongs to this office from now on (session and a long-lived cookie)."""
    office = selectors.office_by_code(code=code)
    if office is None:
        raise Http404
    return access.remember_office(request, redirect("kiosk:home"), office)


def _section(value: str) -> str:
    return value if value in SECTIONS else ""


def _too_many_attempts() -> str:
    minutes = policy_int("kiosk_lockout_minutes")
    return ngettext("Too many attempts. Try again in %(minutes)s minute or ask at the counter.",
                    "Too many attempts. Try again in %(minutes)s minutes or ask at the counter.", minutes) % {
        "minutes": minutes}


def _check(request: HttpRequest, data: dict) -> tuple[Customer | None, str, int]:
    """(the verified customer or None, the message, the status). A failure says how many attempts are left."""
    try:
        result = customer_verify_for_kiosk(
            account_number=data["account_number"], pin=data["pin"], client=access.client_hash(request),
            office=_terminal_office(request), session_failures=access.session_failures(request),
        )
    except KioskRefused:
        access.note_failure(request)
        return None, _too_many_attempts(), 429
    if result.customer is not None:
        return result.customer, "", 302
    access.note_failure(request)
    left = result.attempts_left
    hint = ngettext("%(count)s more attempt is allowed before a lockout.",
                    "%(count)s more attempts are allowed before a lockout.", left) % {"count": left}
    wrong = _("The account number or the PIN is wrong. Check them and try again.")
    return None, f"{wrong} {hint if left else _too_many_attempts()}", 400


@never_cache
@require_http_methods(["GET", "POST"])
@_terminal_language
def verify(request: HttpRequest) -> HttpResponse:
    """Account number + query PIN. One message for a wrong account number and a wrong PIN (no probing); the
    values entered are never shown again; every attempt is recorded by the service."""
    if access.is_verified(request):
        return redirect("kiosk:account")
    section = _section(request.POST.get("section") or request.GET.get("section", ""))
    error, status = "", 200
    if request.method == "POST":
        form = VerifyForm(request.POST)
        if form.is_valid():
            customer, error, status = _check(request, form.cleaned_data)
            if customer is not None:
                access.start_verified_session(request, customer_pk=customer.pk)
                if section == "appointments":
                    return redirect("kiosk:appointments")
                return redirect(reverse("kiosk:account") + (f"#{section}" if section else ""))
            form = VerifyForm(initial={"section": section})
        else:
            status = 400
    else:
        form = VerifyForm(initial={"section": section})
    next_url = reverse("kiosk:verify") + (f"?section={section}" if section else "")
    context = {"form": form, "error": error, "next_url": next_url}
    return _render(request, "kiosk/verify.html", context, title="verify", status=status)


@never_cache
@require_GET
@_terminal_language
@access.verified_required
def account(request: HttpRequest, *, customer_pk: int, idle_seconds: int) -> HttpResponse:
    """The verified customer's bills (24 months, chart), payments, arrears, applications and outages; then the
    sections other apps register for the page (`core.panels` page "kiosk_account": their complaints' progress)."""
    pk, code = access.office_reference(request)
    try:  # the page's reads, the sections' and the terminal's office together (core.together: two round trips)
        shown, found = panels_with("kiosk_account", {
            "overview": selectors.account_overview_reads(customer_pk=customer_pk),
            "office": selectors.office_for_terminal_reads(pk=pk, code=code),
        }, customer_pk=customer_pk)
    except Customer.DoesNotExist:
        access.end_session(request)
        return redirect("kiosk:verify")
    panels = [{"key": p.key, "template": p.template, "context": p.context} for p in shown]
    return _render(request, "kiosk/account.html", {"o": found["overview"], "panels": panels}, title="account",
                   idle_seconds=idle_seconds, verified=True, office=found["office"])


@require_POST
def finish(request: HttpRequest) -> HttpResponse:
    """End the customer's session (the terminal keeps its office) and go back to the home page in the default
    language: the language cookie is deleted."""
    access.end_session(request)
    response = redirect("kiosk:home")
    response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH,
                           domain=settings.LANGUAGE_COOKIE_DOMAIN, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response


@require_GET
@_terminal_language
def tariffs(request: HttpRequest) -> HttpResponse:
    verified, idle_seconds = _public_activity(request)
    context = {"tariffs": list(selectors.tariffs_published()), "fee_items": list(selectors.fee_items_published())}
    return _render(request, "kiosk/tariff_list.html", context, title="tariffs", verified=verified,
                   idle_seconds=idle_seconds)


@require_GET
@_terminal_language
def procedures(request: HttpRequest) -> HttpResponse:
    verified, idle_seconds = _public_activity(request)
    rows = [{"procedure": p, "documents": selectors.text_lines(p.documents), "steps": selectors.text_lines(p.steps)}
            for p in selectors.procedures_published()]
    context = {"procedures": rows, "commitments": selectors.commitments_published()}
    return _render(request, "kiosk/procedure_list.html", context, title="procedures", verified=verified,
                   idle_seconds=idle_seconds)


@require_GET
@_terminal_language
def payment_methods(request: HttpRequest) -> HttpResponse:
    verified, idle_seconds = _public_activity(request)
    context = {"methods": list(selectors.payment_methods_offered())}
    return _render(request, "kiosk/paymentmethod_list.html", context, title="payment_methods", verified=verified,
                   idle_seconds=idle_seconds)


@require_GET
@_terminal_language
def tips(request: HttpRequest) -> HttpResponse:
    verified, idle_seconds = _public_activity(request)
    context = {"tips": list(selectors.energy_tips_published())}
    return _render(request, "kiosk/energytip_list.html", context, title="tips", verified=verified,
                   idle_seconds=idle_seconds)


@require_GET
@_terminal_language
def outages(request: HttpRequest) -> HttpResponse:
    verified, idle_seconds = _public_activity(request)
    context = {"notices": list(selectors.outage_notices_current())}
    return _render(request, "kiosk/outage_list.html", context, title="outages", verified=verified,
                   idle_seconds=idle_seconds)
