"""Pages of the queue: the number printer and its slip (public), the clerk's windows, the waiting-hall board and
its feed (public). Thin views: one permission each, reads through selectors, one service per action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from supply_service.core.ids import parse_id
from supply_service.core.web import run_service, service_errors_to_form
from supply_service.counter import selectors, services
from supply_service.counter.forms import FinishForm, ServeForm, TakeForm, TransferForm
from supply_service.counter.models import QueueTicket

CALL_PERMISSION = services.CALL_PERMISSION
SLIP_SALT = "supply_service.counter.slip"
KIOSK_OFFICE_SESSION_KEY = "kiosk_office"  # the kiosk's terminal binding (session), read-only here


def in_language(text: str, lang: str, **params) -> str:
    with translation.override(lang):
        return _(text) % params if params else _(text)


def _languages(office) -> list[str]:
    return ["zh-hans", office.signage_language] if office.signage_language else ["zh-hans"]


# --- the number printer (public) -----------------------------------------------------------------------------------


def _printer_office(request: HttpRequest, code: str | None):
    if code:
        return selectors.office_by_code(code=code)
    pk = parse_id(request.session.get(KIOSK_OFFICE_SESSION_KEY))
    if pk is not None:
        from supply_service.core.models import Office
        return Office.objects.filter(pk=pk, is_active=True).first()
    office = getattr(request.user, "office", None)
    return office if office is not None and office.is_active else None


@never_cache
def take(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Take a number (ticket printer; the kiosk's "take a number" tile)."""
    office = _printer_office(request, code or request.GET.get("office"))
    if office is None:
        from supply_service.core.models import Office
        offices = Office.objects.filter(is_active=True).order_by("name")[:50]
        return render(request, "counter/take_choose.html", {"offices": offices})
    form = TakeForm(request.POST or None, office=office)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.ticket_take(
                    service=data["service"], priority=data["priority"], appointment_code=data["appointment_code"],
                    phone=data["phone"], language=translation.get_language() or "")
            except ValidationError as exc:
                service_errors_to_form(form, exc)
            else:
                return redirect("counter:slip", token=signing.dumps(ticket.pk, salt=SLIP_SALT))
    return render(request, "counter/take.html", {"office": office, "form": form}, status=status)


@require_GET
@never_cache
def slip(request: HttpRequest, token: str) -> HttpResponse:
    """The printable slip (58 mm): number, service, people ahead, estimated wait."""
    try:
        pk = signing.loads(token, salt=SLIP_SALT)
    except signing.BadSignature:
        raise Http404 from None
    ticket = selectors.ticket_get(pk=pk) if isinstance(pk, int) else None
    if ticket is None:
        raise Http404
    position = selectors.ticket_position(ticket=ticket) if ticket.state == QueueTicket.State.WAITING else None
    return render(request, "counter/slip.html", {"ticket": ticket, "position": position,
                                                 "take_url": reverse("counter:take_at", args=[ticket.office.code])})


# --- windows (clerks) ----------------------------------------------------------------------------------------------


@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def windows(request: HttpRequest) -> HttpResponse:
    office = request.user.office
    rows = selectors.windows_for_office(office=office) if office else []
    waiting = selectors.waiting_by_service(office=office, day=timezone.localdate()) if office else {}
    services_ = selectors.services_for_office(office=office) if office else []
    return render(request, "counter/windows.html", {
        "windows": rows, "services": [(s, waiting.get(s.pk, 0)) for s in services_], "office": office})


def _window_or_404(request: HttpRequest, pk: int):
    window = selectors.window_get(pk=pk)
    if window is None or window.office_id != request.user.office_id:
        raise Http404
    return window


@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def window(request: HttpRequest, pk: int) -> HttpResponse:
    """The clerk's window: call next, recall, no-show, serve, finish, transfer; the payment once serving."""
    win = _window_or_404(request, pk)
    current = selectors.window_current(window=win)
    context = {
        "window": win, "current": current, "serve_form": ServeForm(), "finish_form": FinishForm(),
        "transfer_form": TransferForm(ticket=current) if current else None,
        "waiting": sum(selectors.waiting_by_service(office=win.office, day=timezone.localdate()).values()),
        "today": list(selectors.tickets_today(window=win)[:20]),
        "recall_limit": services.policy_int("counter_recall_limit"),
        "mine": win.clerk_id == request.user.pk,
    }
    from supply_service.counter.views_pay import payment_context
    context.update(payment_context(request, current))
    return render(request, "counter/window.html", context)


def _back(pk: int) -> HttpResponse:
    return redirect("counter:window", pk=pk)


def _window_action(request: HttpRequest, pk: int, call) -> HttpResponse:
    win = _window_or_404(request, pk)
    run_service(request, lambda: call(win))
    return _back(win.pk)


@require_POST
@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def window_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _window_action(request, pk, lambda w: services.window_open(window=w, by=request.user))


@require_POST
@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def window_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _window_action(request, pk, lambda w: services.window_close(window=w, by=request.user))


@require_POST
@login_required
@permission_required(services.GREEN_PERMISSION, raise_exception=True)
def window_green(request: HttpRequest, pk: int) -> HttpResponse:
    on = request.POST.get("on") == "1"
    return _window_action(request, pk, lambda w: services.window_green_channel(window=w, by=request.user, on=on))


@require_POST
@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def call_next(request: HttpRequest, pk: int) -> HttpResponse:
    win = _window_or_404(request, pk)
    result = {}

    def call():
        result["ticket"] = services.ticket_call_next(window=win, by=request.user)

    if run_service(request, call):
        if result["ticket"] is None:
            messages.info(request, _("Nobody is waiting."))
        else:
            messages.success(request, _("Number %(number)s called.") % {"number": result["ticket"].number})
    return _back(win.pk)


def _ticket_action(request: HttpRequest, pk: int, tpk: int, call, form_class=None) -> HttpResponse:
    win = _window_or_404(request, pk)
    ticket = selectors.ticket_get(pk=tpk)
    if ticket is None or ticket.window_id != win.pk:
        raise Http404
    data = {}
    if form_class is not None:
        form = form_class(request.POST, **({"ticket": ticket} if form_class is TransferForm else {}))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return _back(win.pk)
        data = form.cleaned_data
    run_service(request, lambda: call(ticket, data))
    return _back(win.pk)


@require_POST
@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def recall(request: HttpRequest, pk: int, tpk: int) -> HttpResponse:
    return _ticket_action(request, pk, tpk, lambda t, d: services.ticket_call_again(ticket=t, by=request.user))


@require_POST
@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def no_show(request: HttpRequest, pk: int, tpk: int) -> HttpResponse:
    return _ticket_action(request, pk, tpk, lambda t, d: services.ticket_no_show(ticket=t, by=request.user))


@require_POST
@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def serve(request: HttpRequest, pk: int, tpk: int) -> HttpResponse:
    return _ticket_action(request, pk, tpk, lambda t, d: services.ticket_serve(
        ticket=t, by=request.user, customer=d.get("customer")), ServeForm)


@require_POST
@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def finish(request: HttpRequest, pk: int, tpk: int) -> HttpResponse:
    return _ticket_action(request, pk, tpk, lambda t, d: services.ticket_finish(
        ticket=t, by=request.user, note=d.get("note", "")), FinishForm)


@require_POST
@login_required
@permission_required(CALL_PERMISSION, raise_exception=True)
def transfer(request: HttpRequest, pk: int, tpk: int) -> HttpResponse:
    return _ticket_action(request, pk, tpk, lambda t, d: services.ticket_transfer(
        ticket=t, by=request.user, service=d["service"]), TransferForm)


# --- the waiting-hall board (public) -------------------------------------------------------------------------------

CALL_TEXT = gettext_noop("Number %(number)s, please go to window %(window)s")
BOARD_HEADS = (("title", gettext_noop("Now calling")), ("number", gettext_noop("Number")),
               ("window", gettext_noop("Window")), ("latest", gettext_noop("Please listen for your number")))


def _call_json(call, langs: list[str]) -> dict:
    params = {"number": call.ticket.number, "window": call.window.number}
    return {
        "id": call.pk, "number": call.ticket.number, "window": call.window.number,
        "texts": [{"lang": lang, "text": in_language(CALL_TEXT, lang, **params)} for lang in langs],
    }


@require_GET
def board(request: HttpRequest, code: str) -> HttpResponse:
    office = selectors.office_by_code(code=code)
    if office is None:
        raise Http404
    langs = _languages(office)
    calls = selectors.board_calls(office=office)
    heads = {key: [{"lang": lang, "text": in_language(text, lang), "rtl": lang == "ug"} for lang in langs]
             for key, text in BOARD_HEADS}
    return render(request, "counter/board.html", {
        "office": office, "calls": [_call_json(c, langs) for c in calls], "heads": heads,
        "feed_url": reverse("counter:board_feed", args=[office.code]), "last": calls[0].pk if calls else 0,
    })


@require_GET
@never_cache
def board_feed(request: HttpRequest, code: str) -> JsonResponse:
    """The board's short poll: calls after `?after=<id>` (oldest first, to be announced in order)."""
    office = selectors.office_by_code(code=code)
    if office is None:
        raise Http404
    after = parse_id(request.GET.get("after") or 0, low=0) or 0
    calls = selectors.board_calls(office=office, after=after)
    langs = _languages(office)
    return JsonResponse({"calls": [_call_json(c, langs) for c in reversed(calls)],
                         "last": calls[0].pk if calls else after})
