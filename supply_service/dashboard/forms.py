"""Filters of the dashboard and its drill-downs, and the publication form: bad input is a message, never a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from supply_service.core.models import Commitment, Office
from supply_service.core.registry import kinds
from supply_service.dashboard.periods import Month, month_of, month_parse


class MonthField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        month = month_parse(text)
        if month is None:
            raise forms.ValidationError(_("Give a month as year-month, e.g. 2026-11."), code="month")
        return month


class MonthOfficeForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.order_by("name"), required=False,
                                    empty_label=_("All offices"))

    def month_or_now(self) -> Month:
        return (self.cleaned_data.get("month") if self.is_valid() else None) or month_of()


def _commitment_choices():
    rows = Commitment.objects.exclude(unit=Commitment.Unit.PERCENT).values_list("code", "title", "family")
    choices, families = [("", _("All commitments"))], set()
    for code, title, family in sorted(rows):
        choices.append((code, f"{code} · {_(title)}"))
        if family and family != code:
            families.add(family)
    return choices + [(family, family) for family in sorted(families) if family not in {c for c, *_r in rows}]


def _kind_choices():
    return [("", _("All kinds")), *[(kind.key, kind.display_label) for kind in kinds()]]


class DrillForm(MonthOfficeForm):
    commitment = forms.ChoiceField(label=_("Commitment"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[
        ("", _("Met and breached")), ("met", _("Met")), ("breached", _("Breached"))])
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    person = forms.CharField(label=_("Person (user name)"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = _commitment_choices()
        self.fields["kind"].choices = _kind_choices()


class OpenDrillForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.order_by("name"), required=False,
                                    empty_label=_("All offices"))
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    signal = forms.ChoiceField(label=_("Show"), required=False, choices=[
        ("", _("All open items")), ("overdue", _("Overdue")), ("amber", _("Amber")),
        ("chased", _("Chased"))])
    person = forms.CharField(label=_("Person (user name)"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices()


class PublishForm(forms.Form):
    month = MonthField(label=_("Month"))
    reason = forms.CharField(label=_("Reason for a revision"), required=False, max_length=255,
                             help_text=_("Needed when the month was published before: what is corrected."))
