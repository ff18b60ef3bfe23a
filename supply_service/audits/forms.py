"""Forms of the audit pages. They check the shape of the input; the services check everything else."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supply_service.audits.models import AuditKind
from supply_service.audits.selectors import conductors, office_staff
from supply_service.core.models import Office


class PlanForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office audited"), queryset=Office.objects.filter(is_active=True))
    kind = forms.ChoiceField(label=_("Kind of audit"), choices=AuditKind.choices)
    auditor = forms.ModelChoiceField(label=_("Auditor"), queryset=conductors())
    planned_for = forms.DateField(label=_("Planned for"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_planned_for(self) -> date:
        day = self.cleaned_data["planned_for"]
        if day.year < 2000 or day.year > 2100:
            raise forms.ValidationError(_("Choose a date between 2000 and 2100."))
        return day


class AnswerForm(forms.Form):
    VALUES = [("yes", _("Yes")), ("no", _("No")), ("score", _("Score")), ("number", _("Number")),
              ("na", _("Not applicable")), ("note", _("Note or photo only"))]

    value = forms.ChoiceField(label=_("Answer"), choices=VALUES)
    score = forms.IntegerField(label=_("Score"), required=False, min_value=0, max_value=100)
    number = forms.DecimalField(label=_("Number"), required=False, min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label=_("Photo"), required=False)
    action_owner = forms.ModelChoiceField(label=_("Who rectifies if it failed"), required=False, queryset=None)

    def __init__(self, *args, office_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].queryset = office_staff(office_id=office_id)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=4000, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class VerdictForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.filter(is_active=True))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    @classmethod
    def initial_for(cls, user) -> dict:
        return {"office": user.office_id, "year": timezone.localdate().year}


class SurveyImportForm(forms.Form):
    file = forms.FileField(label=_("Survey results (CSV)"),
                           help_text=_("Columns: office code, year, period, survey company, respondents, "
                                       "satisfaction (%), findings."))
