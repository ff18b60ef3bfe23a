"""Public pages, no login: send a complaint, report, suggestion or praise (also the kiosk's suggestion box), and
follow it with the tracking code and secret. Spam: a honeypot field and a rate limit per address (Policy)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from supply_service.complaints.forms import PublicFeedbackForm, TrackForm
from supply_service.complaints.notify import promise_text
from supply_service.complaints.services_public import (
    FEEDBACK,
    TRACK,
    RateLimited,
    public_feedback_submit,
    public_rate_check,
    public_rate_key,
    public_track,
)
from supply_service.core.http import client_ip, terminal_id
from supply_service.core.models import Channel
from supply_service.core.web import service_errors_to_form


def _from_kiosk(request: HttpRequest) -> bool:
    return getattr(request, "_feedback_kiosk", False) or (request.POST.get("from") or request.GET.get("from")) == "kiosk"


def _rate_check(request: HttpRequest, purpose: str) -> None:
    """The rate limit: a bound kiosk terminal by its id and address (kiosk policies), others by address."""
    client, purpose = public_rate_key(address=client_ip(request), terminal=terminal_id(request), purpose=purpose)
    public_rate_check(client=client, purpose=purpose)


def _promises() -> list[dict]:
    from supply_service.complaints.models import Kind

    return [{"kind": kind, "label": label, "text": promise_text(kind)} for kind, label in Kind.choices]


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    kiosk = _from_kiosk(request)
    context = {"kiosk": kiosk, "promises": _promises()}
    if request.method != "POST":
        return render(request, "complaints/public_feedback.html", {**context, "form": PublicFeedbackForm()})
    form = PublicFeedbackForm(request.POST)
    if form.is_robot:  # a robot filled the hidden field: it sees a plain page, nothing is saved
        return render(request, "complaints/public_feedback.html", {**context, "form": PublicFeedbackForm()})
    if not form.is_valid():
        return render(request, "complaints/public_feedback.html", {**context, "form": form}, status=400)
    data = form.cleaned_data
    try:
        _rate_check(request, FEEDBACK)
        complaint, secret = public_feedback_submit(
            office=data["office"], kind=data["kind"], summary=data.get("summary") or "",
            description=data["description"], identity=form.identity(), language=translation.get_language() or "",
            channel=Channel.KIOSK if kiosk else Channel.WEB)
    except ValidationError as exc:
        service_errors_to_form(form, exc)
        return render(request, "complaints/public_feedback.html", {**context, "form": form},
                      status=429 if isinstance(exc, RateLimited) else 400)
    return render(request, "complaints/public_done.html", {
        **context, "complaint": complaint, "secret": secret, "promise": promise_text(complaint.kind)})


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The code and secret are posted (never in the address, so never in logs or history)."""
    if request.method != "POST":
        return render(request, "complaints/public_track.html", {"form": TrackForm(), "kiosk": _from_kiosk(request)})
    form = TrackForm(request.POST)
    complaint = None
    status = 200
    if form.is_valid():
        try:
            _rate_check(request, TRACK)
        except ValidationError as exc:
            service_errors_to_form(form, exc)
            status = 429
        else:
            complaint = public_track(code=form.cleaned_data["code"], secret=form.cleaned_data["secret"])
            if complaint is None:
                form.add_error(None, _("No message matches this code and secret."))
                status = 404
    else:
        status = 400
    return render(request, "complaints/public_track.html",
                  {"form": form, "complaint": complaint, "kiosk": _from_kiosk(request)}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_kiosk(request: HttpRequest) -> HttpResponse:
    """The kiosk's suggestion box (S13.1): the same form, channel "kiosk", with a way back to the kiosk."""
    request._feedback_kiosk = True
    return feedback(request)
