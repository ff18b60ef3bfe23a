from django import forms
from django.utils.translation import gettext_lazy as _

from supply_service.customers.models import account_number_validator
from supply_service.customers.services import PIN_LENGTH

# where the account page opens after verification (a fixed list, never an id); "appointments" opens the booking
SECTIONS = ("bills", "progress", "appointments")


class VerifyForm(forms.Form):
    """Account number and query PIN, typed or entered on the on-screen keypad."""

    account_number = forms.CharField(
        # Only the 10-digit validator (no length validators beside it): one clear message, never the same one twice.
        label=_("Account number"), validators=[account_number_validator],
        widget=forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*", "maxlength": "10",
            "data-keypad-target": "", "spellcheck": "false", "dir": "ltr",
        }),
    )
    pin = forms.CharField(
        label=_("Query PIN (6 digits)"), max_length=PIN_LENGTH, min_length=PIN_LENGTH, strip=True,
        error_messages={"min_length": _("The query PIN is 6 digits."), "max_length": _("The query PIN is 6 digits.")},
        widget=forms.PasswordInput(attrs={
            "inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*", "maxlength": str(PIN_LENGTH),
            "data-keypad-target": "", "dir": "ltr",
        }),
    )
    # Where to go afterwards; the view keeps it only when it is one of SECTIONS.
    section = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_account_number(self) -> str:
        return self.cleaned_data["account_number"].strip()

    def clean_pin(self) -> str:
        pin = self.cleaned_data["pin"]
        if not pin.isdigit():
            raise forms.ValidationError(_("The query PIN is 6 digits."), code="pin")
        return pin
