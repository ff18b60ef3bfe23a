from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supply_service.core.access import OtherOfficeDenied, may_act_on, request_user
from supply_service.core.panels import panels_with
from supply_service.core.selectors import sla_clocks_for_subject, sla_signal
from supply_service.core.services.privacy import personal_data_viewed_write
from supply_service.customers.charts import consumption_chart
from supply_service.customers.forms import CustomerSearchForm, PinForm
from supply_service.customers.models import Customer
from supply_service.customers.selectors import (
    bills_read,
    customer_get_with_arrears,
    customer_search,
    mask_name,
    mask_phone,
    meters_read,
    payments_page_read,
)
from supply_service.customers.services import customer_disconnect, customer_reconnect, customer_set_pin

SEARCH_PAGE = 20
# A search counts its matches up to this, then says "more than" and pages through that many (ten pages). Issue 12: a
# name is searched by any part of it (a scan: no index serves `LIKE '%x%'`), and counting every match of a one-character
# name over a city's 100 000 customers read all of them (14 ms); counting to 200 reads about a tenth.
SEARCH_COUNT_CAP = 200
PAYMENTS_PAGE = 12


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def search(request: HttpRequest) -> HttpResponse:
    """Find a customer by account number, name or phone; results are masked (张*三, 138****1234, 人民路 ****) for
    every office — the customer page shows the details to whom may see them. The matches are counted up to
    `SEARCH_COUNT_CAP` (then "more than"; the pages reach that far)."""
    form = CustomerSearchForm(request.GET or None)
    page = None
    rows = []
    more = False
    if form.is_valid() and form.cleaned_data["q"]:
        results = customer_search(query=form.cleaned_data["q"])
        found = results[:SEARCH_COUNT_CAP + 1].count()
        more = found > SEARCH_COUNT_CAP
        paginator = Paginator(results, SEARCH_PAGE)
        paginator.__dict__["count"] = min(found, SEARCH_COUNT_CAP)  # the cached property, counted above
        page = paginator.get_page(request.GET.get("page"))
        rows = [{"customer": c, "name": mask_name(c.name), "phone": mask_phone(c.phone),
                 "address": mask_address(c.address)} for c in page.object_list]
        if found == 1 and not request.GET.get("page"):
            return redirect("customers:detail", pk=rows[0]["customer"].pk)
    return render(request, "customers/customer_search.html", {"form": form, "page": page, "rows": rows,
                                                               "more": more, "cap": SEARCH_COUNT_CAP})


def mask_address(address: str) -> str:
    """人民路 12 号 3 单元 → 人民路 ****: the street stays (it tells where the customer is supplied), not the door."""
    address = address.strip()
    keep = min(4, max(len(address) // 3, 1)) if address else 0
    return address[:keep] + "****" if address else ""


def shown_details(*, user, customer: Customer) -> dict:
    """Name, phones and address as this user may see them: in full for staff of the customer's home office (each
    look is logged, PIPL), masked for staff of other offices (a city shares its customers; PIPL: least exposure)."""
    if may_act_on(user, customer):
        return {"masked": False, "name": customer.name, "phone": customer.phone, "phone2": customer.phone2,
                "address": customer.address}
    return {"masked": True, "name": mask_name(customer.name), "phone": mask_phone(customer.phone),
            "phone2": mask_phone(customer.phone2) if customer.phone2 else "", "address": mask_address(customer.address)}


def _customer_or_404(pk: int) -> Customer:
    try:
        return customer_get_with_arrears(pk=pk)
    except Customer.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer page: account, meters, 24 months of bills with a chart, payments, arrears, and the panels
    higher apps register (work tickets, outages)."""
    customer = _customer_or_404(pk)
    return _render_detail(request, customer, PinForm())


def _supply(user, customer, shown) -> dict:
    """Disconnection for arrears and the reconnection clock (one query, only while disconnected)."""
    clocks = []
    if customer.disconnected_at is not None:
        now = timezone.now()
        clocks = [{"clock": c, "signal": sla_signal(c, now=now)} for c in sla_clocks_for_subject(subject=customer)
                  if c.is_open]
    return {"supply_clocks": clocks,
            "can_disconnect": user.has_perm("customers.disconnect_customer") and not shown["masked"]}


def _render_detail(request, customer, pin_form, status=200):
    shown = shown_details(user=request_user(request), customer=customer)
    # The page's reads and the panels' (tickets, outages… core.panels) go to the database together (core.together:
    # one round trip on PostgreSQL); the access log's INSERT first among them.
    panels, found = panels_with("customer", {
        "logged": None if shown["masked"] else personal_data_viewed_write(
            user=request.user, subject=customer, label=customer.account_number, where="staff page"),
        "bills": bills_read(customer_pk=customer.pk),
        "payments": payments_page_read(customer=customer, page=request.GET.get("payments"), per_page=PAYMENTS_PAGE),
        "meters": meters_read(customer=customer),
    }, request=request, customer=customer)
    bills = found["bills"]
    context = {
        "customer": customer,
        "meters": found["meters"],
        "bills": bills,
        "chart": consumption_chart(bills),
        "payments": found["payments"],
        "pin_form": pin_form,
        "shown": shown,
        "can_reset_pin": request.user.has_perm("customers.reset_pin_customer") and not shown["masked"],
        "panels": panels,
        **_supply(request.user, customer, shown),
    }
    return render(request, "customers/customer_detail.html", context, status=status)


@require_POST
@login_required
@permission_required("customers.reset_pin_customer", raise_exception=True)
def reset_pin(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(pk)
    form = PinForm(request.POST)
    if form.is_valid():
        try:
            customer_set_pin(customer=customer, pin=form.cleaned_data["pin"], by=request.user)
        except OtherOfficeDenied as exc:  # a customer of another office: nothing changed, say why
            messages.error(request, str(exc))
            return redirect("customers:detail", pk=customer.pk)
        except ValidationError as exc:
            form.add_error("pin", exc)
        else:
            messages.success(request, _("The query PIN was set. Tell the customer to keep it secret."))
            return redirect("customers:detail", pk=customer.pk)
    return _render_detail(request, customer, form, status=400)


def _supply_step(request: HttpRequest, pk: int, step) -> HttpResponse:
    customer = _customer_or_404(pk)
    try:
        step(customer)
    except PermissionDenied as exc:  # another office's customer, or no permission: nothing changed, say why
        messages.error(request, str(exc) or _("You may not do this."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Recorded."))
    return redirect("customers:detail", pk=pk)


@require_POST
@login_required
@permission_required("customers.disconnect_customer", raise_exception=True)
def disconnect(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that supply was cut for arrears (home office; only while arrears are owed)."""
    reason = (request.POST.get("reason") or "")[:255]
    return _supply_step(request, pk, lambda c: customer_disconnect(customer=c, by=request.user, reason=reason))


@require_POST
@login_required
@permission_required("customers.disconnect_customer", raise_exception=True)
def reconnect(request: HttpRequest, pk: int) -> HttpResponse:
    """Supply is back: the reconnection clock stops (met or breached)."""
    return _supply_step(request, pk, lambda c: customer_reconnect(customer=c, by=request.user))
