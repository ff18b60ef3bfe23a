import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supply_service.core.access import acts_for_every_office
from supply_service.core.models import Office
from supply_service.quality.imports import KINDS
from supply_service.quality.models import MonitoringPoint
from supply_service.quality.selectors import quality_office_for

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2100
IMPORT_KINDS = [
    ("voltage_months", _("Monthly figures per monitoring point")),
    ("voltage_samples", _("Timestamped voltage readings (aggregated on import)")),
]
assert [k for k, _label in IMPORT_KINDS] == list(KINDS)


def _offices(user):
    """Every office (and "all") for who sees every office; else the user's own office only (one query)."""
    if acts_for_every_office(user):
        return [("", _("All offices")),
                *Office.objects.filter(is_active=True).order_by("name").values_list("pk", "name")]
    return list(Office.objects.filter(pk=getattr(user, "office_id", None)).values_list("pk", "name"))


class FiguresForm(forms.Form):
    """Filters of the figures page; a bad value falls back to its default (the user's office, this year).

    The office rule for these figures: staff see their own office's only, whatever they ask for; who acts for
    every office (`core.act_any_office`, superusers) may choose any office or all of them (`quality_office_for`)."""

    office = forms.TypedChoiceField(label=_("Office"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = _offices(user)
        self.user = user

    def valid_data(self) -> dict:
        data = {"office": getattr(self.user, "office_id", None), "year": timezone.localdate().year}
        if "office" in self.data:
            data["office"] = None
        for name, field in self.fields.items():
            if not self.data.get(name):
                continue
            try:
                data[name] = field.clean(self.data.get(name))
            except forms.ValidationError:
                continue
        data["office"] = quality_office_for(user=self.user, office_id=data["office"])
        return data


class PointsForm(FiguresForm):
    month = forms.CharField(label=_("Month"), required=False, max_length=7)
    category = forms.ChoiceField(label=_("Class"), required=False,
                                 choices=[("", _("Every class")), *MonitoringPoint.Category.choices])

    def valid_data(self) -> dict:
        data = super().valid_data()
        match = MONTH_RE.match(str(self.data.get("month", "")))
        month = None
        if match and FIRST_YEAR <= int(match[1]) <= LAST_YEAR and 1 <= int(match[2]) <= 12:
            month = date(int(match[1]), int(match[2]), 1)
        data["month"] = month
        return data


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=IMPORT_KINDS)
    file = forms.FileField(label=_("File (CSV or XLSX)"))
