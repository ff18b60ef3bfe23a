"""The rating pad (服务评价器): a tablet facing the customer, bound to one window by the secret key in its address.
No login, no links: it shows the clerk signed in, and after each transaction asks how the service was, in the
customer's language, for the policy's seconds."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from supply_service.core.ids import parse_id
from supply_service.counter import selectors, services_rating
from supply_service.counter.models import Rating


def _window(key: str):
    window = selectors.window_by_pad_key(key=key)
    if window is None:
        raise Http404
    return window


@never_cache
@require_GET
def pad(request: HttpRequest, key: str) -> HttpResponse:
    window = _window(key)
    ticket = services_rating.ratable_ticket(window=window)
    language = (ticket.language if ticket and ticket.language else None) or translation.get_language()
    with translation.override(language):
        return render(request, "counter/pad.html", {
            "window": window, "ticket": ticket, "card": selectors.clerk_card_of(window=window),
            "photo_url": request.path + "photo/", "scores": Rating.Score.choices, "reasons": Rating.Reason.choices,
            "thanks": request.GET.get("thanks") == "1", "state_url": request.path + "state/",
            "wanted_reason": request.GET.get("reason") == "1",
        })


@never_cache
@require_GET
def pad_state(request: HttpRequest, key: str) -> JsonResponse:
    """What the pad should show now: the number to rate (id) or none; the pad reloads when it changes."""
    window = _window(key)
    ticket = services_rating.ratable_ticket(window=window)
    return JsonResponse({"ticket": ticket.pk if ticket else None, "clerk": window.clerk_id})


@require_POST
def pad_rate(request: HttpRequest, key: str) -> HttpResponse:
    window = _window(key)
    ticket_id = parse_id(request.POST.get("ticket"), low=1)
    score, reason = request.POST.get("score", ""), request.POST.get("reason", "")
    if score == Rating.Score.NOT_SATISFIED and not reason:
        return redirect(f"{request.path.rsplit('rate/', 1)[0]}?reason=1")
    try:
        services_rating.rating_record(window=window, ticket_id=ticket_id or 0, score=score, reason=reason)
    except ValidationError:
        return redirect(request.path.rsplit("rate/", 1)[0])
    return redirect(f"{request.path.rsplit('rate/', 1)[0]}?thanks=1")


@never_cache
@require_GET
def pad_photo(request: HttpRequest, key: str) -> HttpResponse:
    """The photo of the clerk signed in at this pad's window — nothing else is reachable by the pad's key."""
    photo = selectors.clerk_photo_for_pad(key=key)
    if photo is None:
        raise Http404
    response = HttpResponse(photo, content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    return response
