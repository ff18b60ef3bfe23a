"""Forms of the outage pages: the public filter, the staff list filter, the notice editor and the step forms."""

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supply_service.core.i18n_fields import DATA_LANGUAGES, column_names
from supply_service.core.ids import IdModelMultipleChoiceField, id_formfield_callback
from supply_service.customers.models import Feeder, TransformerArea
from supply_service.outages.models import OutageNotice

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_INPUTS = [DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
BAD_DATETIME = _("Enter a date and time such as 2026-12-01 09:00.")
BAD_DATE = _("Enter a date such as 2026-12-01.")
TIMES_HELP = _("Beijing time (Asia/Shanghai).")
END_BEFORE_START = _("The outage must end after it starts.")


OFFICE_ZONE = ZoneInfo("Asia/Shanghai")


class OfficeDateTimeField(forms.DateTimeField):
    """Read and shown in Beijing time whatever time zone is active; stored in UTC."""

    def to_python(self, value):
        with timezone.override(OFFICE_ZONE):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(OFFICE_ZONE):
            return super().prepare_value(value)


def local_datetime_field(label) -> forms.DateTimeField:
    """A `datetime-local` input in Beijing time (Asia/Shanghai)."""
    return OfficeDateTimeField(
        label=label, input_formats=DATETIME_INPUTS, help_text=TIMES_HELP,
        error_messages={"invalid": BAD_DATETIME},
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class PublicFilterForm(forms.Form):
    area = forms.CharField(label=_("Area or street"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    day = forms.DateField(label=_("Date"), required=False, input_formats=["%Y-%m-%d"],
                          error_messages={"invalid": BAD_DATE},
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def filters(self) -> dict:
        """The values that are valid (a bad one is left out, and the form shows why)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"area": (data.get("area") or "").strip(), "day": data.get("day")}


class StaffListForm(forms.Form):
    SCOPE_OFFICE, SCOPE_ALL = "office", "all"
    scope = forms.ChoiceField(label=_("Office"), required=False, choices=[
        (SCOPE_OFFICE, _("My office")), (SCOPE_ALL, _("All offices")),
    ])
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Any state")), *OutageNotice.State.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *OutageNotice.Kind.choices])

    def valid_data(self) -> dict:
        """Every filter, a bad value replaced by its default."""
        data = {}
        for name, field in self.fields.items():
            try:
                data[name] = field.clean(self.data.get(name, ""))
            except forms.ValidationError:
                data[name] = ""
        data["scope"] = data["scope"] or self.SCOPE_OFFICE
        return data


class AreaChoiceField(IdModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} · {obj.name}"


def _language_attrs(code: str) -> dict:
    attrs = {"lang": code}
    if code == "ug":
        attrs["dir"] = "rtl"
    return attrs


class NoticeForm(forms.ModelForm):
    """The editor: kind, times, lines and areas of the office, reason, explanation, area and text in the four
    languages (Chinese required)."""

    planned_start = local_datetime_field(_("Start"))
    planned_end = local_datetime_field(_("End"))
    feeders = AreaChoiceField(label=_("Supply lines (feeders)"), required=False, queryset=Feeder.objects.none(),
                              widget=forms.SelectMultiple(attrs={"size": 8}))
    areas = AreaChoiceField(label=_("Transformer areas"), required=False, queryset=TransformerArea.objects.none(),
                            widget=forms.SelectMultiple(attrs={"size": 8}))

    LANGUAGE_FIELDS = [*column_names("area"), *column_names("text")]

    class Meta:
        formfield_callback = id_formfield_callback
        model = OutageNotice
        fields = ["kind", "planned_start", "planned_end", "feeders", "areas", "reason", "explanation",
                  *column_names("area"), *column_names("text")]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["feeders"].queryset = Feeder.objects.filter(office=office).order_by("code")
        self.fields["areas"].queryset = TransformerArea.objects.filter(feeder__office=office).order_by("code")
        self.fields["feeders"].help_text = _("Everyone supplied by these lines is cut off. Hold Ctrl (⌘ on a Mac) "
                                             "to pick several.")
        self.fields["areas"].help_text = _("Or only the customers behind these transformers.")
        for suffix, code, _label in DATA_LANGUAGES:
            for base in ("area", "text"):
                field = self.fields[f"{base}_{suffix}"]
                field.widget.attrs.update(_language_attrs(code))
                if base == "text":
                    field.widget.attrs["rows"] = 3

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", END_BEFORE_START)
        return data

    def language_groups(self) -> list[dict]:
        """The area and text fields grouped by language, for one fieldset each."""
        return [
            {"code": code, "label": label, "required": suffix == "zh_hans", "rtl": code == "ug",
             "fields": [self[f"area_{suffix}"], self[f"text_{suffix}"]]}
            for suffix, code, label in DATA_LANGUAGES
        ]

    def create_kwargs(self) -> dict:
        """What `services.outage_create` takes."""
        data = self.cleaned_data
        texts = {name: data[name] for name in self.LANGUAGE_FIELDS}
        return {
            "kind": data["kind"], "planned_start": data["planned_start"], "planned_end": data["planned_end"],
            "reason": data["reason"], "explanation": data["explanation"], "feeders": list(data["feeders"]),
            "areas": list(data["areas"]), **texts,
        }

    def selection(self) -> dict:
        """The lines and areas picked in the (possibly invalid) submitted data, for the affected-customer preview."""
        picked = {}
        for name in ("feeders", "areas"):
            field = self.fields[name]
            try:
                picked[name] = list(field.clean(field.widget.value_from_datadict(self.data, self.files,
                                                                                 self.add_prefix(name))))
            except forms.ValidationError:
                picked[name] = []
        return picked


class RescheduleForm(forms.Form):
    start = local_datetime_field(_("New start"))
    end = local_datetime_field(_("New end"))
    override_reason = forms.CharField(label=_("Manager's override: why less than the advance notice"), max_length=255,
                                      required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", END_BEFORE_START)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255)


class PublishForm(forms.Form):
    override_reason = forms.CharField(label=_("Manager's override: why publish anyway"), max_length=255,
                                      required=False)
