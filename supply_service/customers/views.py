from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supply_service.customers.charts import consumption_chart
from supply_service.customers.forms import CustomerSearchForm, PinForm
from supply_service.customers.models import Customer
from supply_service.customers.selectors import (
    bills_last_24_months,
    customer_get_with_arrears,
    customer_search,
    mask_name,
    mask_phone,
    payments_for,
)
from supply_service.customers.services import customer_set_pin

SEARCH_PAGE = 20
PAYMENTS_PAGE = 12


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def search(request: HttpRequest) -> HttpResponse:
    """Find a customer by account number, name or phone; results are masked (张*三, 138****1234)."""
    form = CustomerSearchForm(request.GET or None)
    page = None
    rows = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = customer_search(query=form.cleaned_data["q"])
        page = Paginator(results, SEARCH_PAGE).get_page(request.GET.get("page"))
        rows = [
            {"customer": c, "name": mask_name(c.name), "phone": mask_phone(c.phone)} for c in page.object_list
        ]
        if page.paginator.count == 1 and not request.GET.get("page"):
            return redirect("customers:detail", pk=rows[0]["customer"].pk)
    return render(request, "customers/customer_search.html", {"form": form, "page": page, "rows": rows})


def _customer_or_404(pk: int) -> Customer:
    try:
        return customer_get_with_arrears(pk=pk)
    except Customer.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer page: account, meters, 24 months of bills with a chart, payments, arrears."""
    customer = _customer_or_404(pk)
    return _render_detail(request, customer, PinForm())


def _customer_tickets(customer) -> list[dict]:
    from supply_service.tickets.models import TICKET_KINDS, State
    from supply_service.tickets.selectors import tickets_for_customer

    rows = tickets_for_customer(customer=customer)
    for row in rows:
        row["state_label"] = State(row["state"]).label
        row["kind_label"] = TICKET_KINDS[row["kind"]]._meta.verbose_name
    return rows


def _customer_outages(customer) -> dict:
    from supply_service.outages.selectors import notices_affecting

    return notices_affecting(customer=customer)


def _render_detail(request, customer, pin_form, status=200):
    bills = list(bills_last_24_months(customer=customer))
    payments = Paginator(payments_for(customer=customer), PAYMENTS_PAGE).get_page(request.GET.get("payments"))
    context = {
        "customer": customer,
        "meters": list(customer.meters.all()),
        "bills": bills,
        "chart": consumption_chart(bills),
        "payments": payments,
        "pin_form": pin_form,
        "can_reset_pin": request.user.has_perm("customers.reset_pin_customer"),
        "tickets": _customer_tickets(customer),
        "outages": _customer_outages(customer),
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
        except ValidationError as exc:
            form.add_error("pin", exc)
        else:
            messages.success(request, _("The query PIN was set. Tell the customer to keep it secret."))
            return redirect("customers:detail", pk=customer.pk)
    return _render_detail(request, customer, form, status=400)
