"""Forms of the counter: take a number, serve (account number), transfer, pay, reverse, rate."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from supply_service.counter.models import QueueTicket, Rating, Service, Tender
from supply_service.customers.models import phone_validator
from supply_service.tickets.forms_counter import customer_by_account_number

MONEY_MAX = Decimal("9999999.99")


class TakeForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none(), widget=forms.RadioSelect,
                                     empty_label=None)
    priority = forms.ChoiceField(label=_("Priority"), choices=QueueTicket.Priority.choices, widget=forms.RadioSelect,
                                 initial=QueueTicket.Priority.ORDINARY)
    appointment_code = forms.CharField(label=_("Appointment code (appointment holders)"), required=False,
                                       max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off",
                                                                                    "dir": "ltr"}))
    phone = forms.CharField(label=_("Mobile phone for an SMS when your turn is near (optional)"), required=False,
                            max_length=20, validators=[phone_validator],
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "dir": "ltr"}))

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(office=office, is_active=True).order_by("position")

    def clean(self):
        data = super().clean()
        if data.get("priority") == QueueTicket.Priority.APPOINTMENT and not (data.get("appointment_code") or "").strip():
            self.add_error("appointment_code", _("Enter the code of your appointment."))
        return data


class ServeForm(forms.Form):
    account_number = forms.CharField(
        label=_("Account number (optional)"), required=False, max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}))

    def clean_account_number(self):
        self.cleaned_data["customer"] = customer_by_account_number(self.cleaned_data["account_number"])
        return self.cleaned_data["account_number"].strip()


class FinishForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=255)


class TransferForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Transfer to"), queryset=Service.objects.none())

    def __init__(self, *args, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Service.objects.none()
        if ticket is not None:
            qs = Service.objects.filter(office_id=ticket.office_id, is_active=True).exclude(pk=ticket.service_id)
        self.fields["service"].queryset = qs


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                max_value=MONEY_MAX, widget=forms.NumberInput(attrs={"step": "0.01", "dir": "ltr"}))
    tender = forms.ModelChoiceField(label=_("Paid by"), queryset=Tender.objects.none(), widget=forms.RadioSelect,
                                    empty_label=None)
    tendered = forms.DecimalField(label=_("Cash handed over (yuan)"), required=False, max_digits=12, decimal_places=2,
                                  min_value=Decimal("0"), max_value=MONEY_MAX,
                                  widget=forms.NumberInput(attrs={"step": "0.01", "dir": "ltr"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tender"].queryset = Tender.objects.filter(is_active=True).order_by("position", "code")

    def clean(self):
        data = super().clean()
        tender, amount, tendered = data.get("tender"), data.get("amount"), data.get("tendered")
        if tender is not None and tender.is_cash and amount is not None and tendered is not None and tendered < amount:
            self.add_error("tendered", _("The cash handed over is less than the amount."))
        return data


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=255)

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise ValidationError(_("Give the reason for the reversal."))
        return value


class RatingForm(forms.Form):
    score = forms.ChoiceField(choices=Rating.Score.choices)
    reason = forms.ChoiceField(choices=Rating.Reason.choices, required=False)
    ticket = forms.IntegerField(min_value=1, max_value=2**62)

    def clean(self):
        data = super().clean()
        if data.get("score") == Rating.Score.NOT_SATISFIED and not data.get("reason"):
            self.add_error("reason", _("Pick a reason."))
        return data


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class FollowUpCallbackForm(forms.Form):
    """The manager's callback of a "not satisfied" rating: reached or not, satisfied after all, a note."""

    reached = forms.ChoiceField(label=_("Customer reached"), choices=YES_NO, widget=forms.RadioSelect)
    satisfied = forms.ChoiceField(label=_("Satisfied after the callback"), choices=[("", "—"), *YES_NO],
                                  required=False, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def outcome(self) -> dict:
        data = self.cleaned_data
        satisfied = {"yes": True, "no": False}.get(data.get("satisfied") or "")
        return {"reached": data["reached"] == "yes", "satisfied": satisfied, "note": data.get("note", "")}


class CashUpForm(forms.Form):
    """The cash-up's days: from and to (inclusive); both default to today."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    MAX_DAYS = 366  # one year at most per page (layout of a page, not a limit of the standard)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("The end date is before the start date."))
            if (end - start).days >= self.MAX_DAYS:
                raise ValidationError(_("Choose at most %(days)s days.") % {"days": self.MAX_DAYS})
        return data
