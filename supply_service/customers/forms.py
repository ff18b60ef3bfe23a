from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from supply_service.customers.services import validate_pin


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Account number, name or phone"), max_length=60, required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "search"}),
    )


class PinForm(forms.Form):
    pin = forms.CharField(
        label=_("New query PIN (6 digits)"), min_length=6, max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{6}"}),
    )
    pin_again = forms.CharField(
        label=_("The PIN again"), min_length=6, max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{6}"}),
    )

    def clean(self):
        data = super().clean()
        pin, again = data.get("pin"), data.get("pin_again")
        if pin and again and pin != again:
            raise ValidationError(_("The two PINs differ."))
        if pin:
            validate_pin(pin)
        return data
