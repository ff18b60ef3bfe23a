"""Forms of the ticket workbench: the work-list filters, the intake form of each kind, the action forms."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supply_service.core.ids import IdModelChoiceField
from supply_service.core.models import Callback, Channel
from supply_service.core.widgets import QuickCheckboxInput, QuickSelect, QuickTextInput
from supply_service.customers.models import account_number_validator, phone_validator
from supply_service.tickets.models import FINAL_STATES, TICKET_KINDS, BusinessExpansion, Consultation, State
from supply_service.tickets.selectors_views import customer_by_account, kind_label

REQUEST_MAX = 4000
TEXT_MAX = 4000


# --- the work list ----------------------------------------------------------------------------------------------


class WorkListForm(forms.Form):
    """GET filters of the work list. A bad value in one field is dropped: see `valid_data`. Its widgets write
    Django's markup in Python (core.widgets): on top of every work list, their templates were a fifth of its time."""

    SCOPE_MINE = "mine"
    SCOPE_WAITING = "waiting"
    SCOPE_OFFICE = "office"

    q = forms.CharField(
        label=_("Search"), max_length=60, required=False,
        help_text=_("Ticket number, account number, phone or name — part of them for open tickets; closed tickets by "
                    "the whole ticket, account or phone number"),
        widget=QuickTextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label=_("Whose tickets"), required=False, widget=QuickSelect,
        choices=[(SCOPE_MINE, _("Mine")), (SCOPE_WAITING, _("Waiting for my role")), (SCOPE_OFFICE, _("My office"))],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect)
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect)
    channel = forms.ChoiceField(label=_("Channel"), required=False, widget=QuickSelect)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False, widget=QuickCheckboxInput)

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + [(kind, kind_label(kind)) for kind in kinds]
        self.fields["state"].choices = everything + [(v, label) for v, label in State.choices if v not in FINAL_STATES]
        self.fields["channel"].choices = everything + list(Channel.choices)

    @classmethod
    def valid_data_for(cls, query, *, kinds) -> dict:
        """`cls(query, kinds=kinds).valid_data()`, remembered per query and kinds (bounded, per process): the same
        links are opened again and again, and building the form was a tenth of the list (issue 12)."""
        fields = cls.base_fields
        key = (tuple(kinds), tuple((name, tuple(query.getlist(name))) for name in fields if name in query))
        found = _VALID.get(key)
        if found is None:
            if len(_VALID) >= 1024:
                _VALID.clear()
            found = _VALID[key] = cls(query, kinds=kinds).valid_data()
        return dict(found)

    def valid_data(self) -> dict:
        """The values of the fields that are valid; the others are ignored without an error (a bad link or a
        hand-edited address must not break the list)."""
        self.is_valid()
        data = {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}
        data["q"] = (data.get("q") or "").strip()
        data["scope"] = data.get("scope") or self.SCOPE_MINE
        return data


_VALID: dict[tuple, dict] = {}


# --- intake -----------------------------------------------------------------------------------------------------


class TicketIntakeForm(forms.Form):
    """What every kind asks: who the customer is and what they ask for. Keyboard-first: the account number
    has the focus, Enter in any one-line field submits."""

    model = None  # set by each kind's form
    kind_fields: tuple[str, ...] = ()

    account_number = forms.CharField(
        label=_("Account number"), required=False, max_length=10,
        help_text=_("10 digits. Leave it blank for a caller without an account: then name and phone are needed."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "numeric",
                                      "pattern": "[0-9]*", "maxlength": 10}),
    )
    customer_name = forms.CharField(label=_("Customer name"), required=False, max_length=120,
                                    widget=forms.TextInput(attrs={"autocomplete": "off"}))
    customer_phone = forms.CharField(label=_("Customer phone"), required=False, max_length=20,
                                     validators=[phone_validator],
                                     widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.COUNTER)
    request = forms.CharField(label=_("What the customer asks for"), max_length=REQUEST_MAX,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = None
        # The kind's own fields come after the customer, the request last but one, the channel last.
        order = ["account_number", "customer_name", "customer_phone", *self.kind_fields, "request", "channel"]
        self.order_fields(order)

    def clean_account_number(self) -> str:
        value = self.cleaned_data["account_number"].strip().replace(" ", "")
        if not value:
            return ""
        account_number_validator(value)
        self.customer = customer_by_account(account_number=value)
        if self.customer is None:
            raise ValidationError(_("There is no customer with this account number. Check it, or leave it blank "
                                    "and write down the caller's name and phone."), code="unknown_account")
        return value

    def clean(self):
        data = super().clean()
        if not data.get("account_number") and "account_number" not in self.errors:
            if not data.get("customer_name") and "customer_name" not in self.errors:
                self.add_error("customer_name", _("Without an account number, write down the caller's name."))
            if not data.get("customer_phone") and "customer_phone" not in self.errors:
                self.add_error("customer_phone", _("Without an account number, write down a phone number to call "
                                                   "back."))
        return data

    def kind_bound_fields(self) -> list:
        """The kind's own fields, for the template."""
        return [self[name] for name in self.kind_fields]

    def ticket_fields(self) -> dict:
        """Keyword arguments for `services.ticket_create` (besides model, by)."""
        data = self.cleaned_data
        fields = {"channel": data["channel"], "request": data["request"], "customer": self.customer,
                  "customer_name": data["customer_name"], "customer_phone": data["customer_phone"]}
        fields.update({name: data[name] for name in self.kind_fields})
        return fields


class RepairIntakeForm(TicketIntakeForm):
    model = TICKET_KINDS["repair"]
    kind_fields = ("fault_address",)

    fault_address = forms.CharField(
        label=_("Fault address"), required=False, max_length=255,
        help_text=_("Blank: the customer's address."), widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("fault_address", "").strip() and "fault_address" not in self.errors:
            if self.customer is not None:
                data["fault_address"] = self.customer.address
            else:
                self.add_error("fault_address", _("Where is the fault? Give the address."))
        return data


class ExpansionIntakeForm(TicketIntakeForm):
    model = BusinessExpansion
    kind_fields = ("business_type", "applicant_class", "supply_sources", "capacity_kva", "site_address")

    business_type = forms.ChoiceField(label=_("Business"), choices=BusinessExpansion.BusinessType.choices)
    applicant_class = forms.ChoiceField(label=_("Applicant class"), choices=BusinessExpansion.ApplicantClass.choices)
    supply_sources = forms.TypedChoiceField(
        label=_("Supply sources"), coerce=int, initial=1, required=False, empty_value=1,
        choices=[(1, _("Single source")), (2, _("Dual source"))],
        help_text=_("High voltage only: the connection limits differ for one or two sources."))
    capacity_kva = forms.DecimalField(label=_("Capacity (kVA)"), required=False, max_digits=10, decimal_places=1,
                                      min_value=0.1, widget=forms.NumberInput(attrs={"step": "0.1"}))
    site_address = forms.CharField(label=_("Site address"), max_length=255, required=False,
                                   help_text=_("Blank: the customer's address."),
                                   widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean(self):
        data = super().clean()
        if data.get("applicant_class") != BusinessExpansion.ApplicantClass.HIGH_VOLTAGE:
            data["supply_sources"] = 1  # low voltage has one source; the field only matters for high voltage
        if not (data.get("site_address") or "").strip() and "site_address" not in self.errors:
            if self.customer is not None:
                data["site_address"] = self.customer.address
            else:
                self.add_error("site_address", _("Where is the site? Give the address."))
        return data


class MeterFaultIntakeForm(TicketIntakeForm):
    model = TICKET_KINDS["meter_fault"]
    kind_fields = ("meter_number", "is_test_request")

    meter_number = forms.CharField(label=_("Meter number"), required=False, max_length=30,
                                   widget=forms.TextInput(attrs={"autocomplete": "off"}))
    is_test_request = forms.BooleanField(label=_("The customer asks for a meter test"), required=False,
                                         help_text=_("A test on request has its own time limit."))


class BillMonthField(forms.DateField):
    """A month (YYYY-MM) stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter the month as YYYY-MM, e.g. 2026-10.")}

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class BillQueryIntakeForm(TicketIntakeForm):
    model = TICKET_KINDS["bill_query"]
    kind_fields = ("bill_period",)

    bill_period = BillMonthField(label=_("Bill month"), required=False)

    def clean_bill_period(self) -> date | None:
        value = self.cleaned_data["bill_period"]
        if value and value > timezone.localdate().replace(day=1):
            raise ValidationError(_("There is no bill for a future month yet."), code="future")
        if value and value.year < 2000:
            raise ValidationError(_("Enter the month as YYYY-MM, e.g. 2026-10."), code="invalid")
        return value


class ConsultationIntakeForm(TicketIntakeForm):
    model = Consultation
    kind_fields = ("topic",)

    topic = forms.ChoiceField(label=_("Topic"), choices=Consultation.Topic.choices)
    answered_at_once = forms.BooleanField(label=_("Answered at once"), required=False,
                                          help_text=_("The ticket is answered and closed in one step."))
    answer = forms.CharField(label=_("Answer given"), required=False, max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([*self.fields, "answered_at_once", "answer"])

    def clean(self):
        data = super().clean()
        data["answer"] = (data.get("answer") or "").strip()
        if data.get("answered_at_once") and not data["answer"]:
            self.add_error("answer", _("Write down the answer you gave."))
        return data


INTAKE_FORMS: dict[str, type[TicketIntakeForm]] = {
    "repair": RepairIntakeForm,
    "expansion": ExpansionIntakeForm,
    "meter_fault": MeterFaultIntakeForm,
    "bill_query": BillQueryIntakeForm,
    "consultation": ConsultationIntakeForm,
}


# --- actions on a ticket ----------------------------------------------------------------------------------------

TEXT_FORMS = {"cause": 255, "reason": 255, "text": TEXT_MAX}


class ActionForm(forms.Form):
    """One step of the machine. `seen_state` is the state the user saw when the page was drawn."""

    seen_state = forms.CharField(max_length=20)
    crew = IdModelChoiceField(label=_("Crew"), queryset=None, required=False)
    text = forms.CharField(required=False, max_length=TEXT_MAX)
    meter_number = forms.CharField(label=_("Meter number"), required=False, max_length=30)

    def __init__(self, *args, form_kind: str, crew_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_kind = form_kind
        self.fields["crew"].queryset = crew_queryset
        self.fields["crew"].required = form_kind == "crew"
        self.fields["text"] = forms.CharField(required=form_kind in TEXT_FORMS,
                                              max_length=TEXT_FORMS.get(form_kind, TEXT_MAX))

    def step_data(self) -> dict:
        """Keyword arguments of the transition method."""
        data = self.cleaned_data
        return {
            "crew": {"crew": data.get("crew")},
            "cause": {"cause": data.get("text", "")},
            "text": {"text": data.get("text", "")},
            "reason": {"reason": data.get("text", "")},
            "meter": {"meter_number": data.get("meter_number", "").strip()},
        }.get(self.form_kind, {})


class CallbackForm(forms.Form):
    seen_state = forms.CharField(max_length=20)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Callback.Outcome.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        data["note"] = (data.get("note") or "").strip()
        if data.get("outcome") == "unsatisfied" and not data["note"]:
            self.add_error("note", _("Write down why the customer is not satisfied."))
        return data


class ReasonForm(forms.Form):
    """Close without callback: the reason no callback was possible."""

    seen_state = forms.CharField(max_length=20)
    reason = forms.CharField(label=_("Why no callback is possible"), max_length=255)


class NoCallbackForm(ReasonForm):
    """Close without callback, with whether a callback was due at all (the callback rate's denominator, S13.5)."""

    WHY = [
        ("declined", _("The customer declined a callback")),
        ("no_contact", _("The customer left no way to be reached")),
        ("impossible", _("A callback was due but is not possible (counts as missed)")),
    ]
    NOT_DUE = {"declined", "no_contact"}
    why = forms.ChoiceField(label=_("Kind of reason"), choices=WHY, initial="impossible", required=False)

    @property
    def callback_due(self) -> bool:
        """Unless the customer declined or left no contact, a callback was due (and is counted as missed)."""
        return (self.cleaned_data.get("why") or "impossible") not in self.NOT_DUE


class PauseForm(forms.Form):
    """The work waits on the customer: pause the ticket's clocks with the reason (shown to the customer)."""

    REASONS = [
        ("documents", _("Documents missing from the customer")),
        ("construction", _("The customer's own construction is not finished")),
        ("access", _("No access to the site or the meter")),
        ("other", _("Other (write it below)")),
    ]
    seen_state = forms.CharField(max_length=20)
    kind = forms.ChoiceField(label=_("What the work waits for"), choices=REASONS)
    detail = forms.CharField(label=_("Details for the customer"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "other" and not (data.get("detail") or "").strip():
            self.add_error("detail", _("Write what the work waits for."))
        return data

    @property
    def reason(self) -> str:
        label = str(dict(self.REASONS)[self.cleaned_data["kind"]])
        detail = (self.cleaned_data.get("detail") or "").strip()
        if self.cleaned_data["kind"] == "other":
            return detail
        return f"{label}: {detail}" if detail else label


class HandOverForm(forms.Form):
    seen_state = forms.CharField(max_length=20)
    to_user = IdModelChoiceField(label=_("Hand over to"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = targets


class ChaseForm(forms.Form):
    note = forms.CharField(label=_("What you ask of the owner"), max_length=255)

