"""Forms of the complaints app: staff intake (keyboard first), the public feedback form (honeypot), tracking, and
one small form per step of the detail page. Bad input: a message in the user's language, nothing changed."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supply_service.complaints.models import Category, Finding, Kind, ReplyChannel, RootCause, State
from supply_service.core.ids import IdModelChoiceField
from supply_service.core.models import Callback, Channel, Office
from supply_service.core.widgets import QuickSelect, QuickTextInput
from supply_service.customers.models import Customer, account_number_validator, phone_validator

TEXT_MAX = 4000
User = get_user_model()


def _text(label, *, required=True, max_length=TEXT_MAX, rows=4, **attrs):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows, "dir": "auto", **attrs}))


def _line(label, *, required=False, max_length=120, validators=(), **attrs):
    return forms.CharField(label=label, required=required, max_length=max_length, validators=list(validators),
                           widget=QuickTextInput(attrs={"autocomplete": "off", **attrs}))


def _no_nul(value: str) -> str:
    if "\x00" in (value or ""):
        raise forms.ValidationError(_("The text contains a character that is not allowed."))
    return value


class _Cleaned(forms.Form):
    """Every text field refuses NUL bytes (PostgreSQL cannot store them)."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("The text contains a character that is not allowed."))
        return data


class IdentityFields(_Cleaned):
    name = _line(_("Name"))
    phone = _line(_("Phone"), max_length=20, validators=[phone_validator], inputmode="tel")
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    address = _line(_("Address"), max_length=255)

    def identity(self) -> dict:
        return {key: self.cleaned_data.get(key, "") for key in ("name", "phone", "email", "address", "id_number")
                if key in self.cleaned_data}


class StaffIntakeForm(IdentityFields):
    """Staff intake: kind and channel first, then what happened, then who (sealed). Enter in a one-line field or
    Ctrl+Enter in a text box submits."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices,
                             widget=QuickSelect(attrs={"autofocus": True}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, widget=QuickSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=QuickSelect,
                                 choices=[("", _("Not yet known"))] + list(Category.choices))
    summary = _line(_("Subject"), max_length=200)
    description = _text(_("What happened"))
    id_number = _line(_("ID number"), max_length=30)
    account_number = _line(_("Account number"), max_length=10, validators=[account_number_validator],
                           inputmode="numeric")
    ticket_number = _line(_("Ticket concerned"), max_length=24)
    outage_number = _line(_("Outage concerned"), max_length=24)
    concerned_staff = IdModelChoiceField(label=_("Staff member concerned"), required=False, queryset=User.objects.none(),
                                         widget=QuickSelect)
    language = forms.ChoiceField(label=_("Customer's language"), required=False, widget=QuickSelect,
                                 choices=[("", _("Chinese")), ("ug", _("Uyghur")), ("bo", _("Tibetan")),
                                          ("en", _("English"))])

    field_order = ["kind", "channel", "category", "summary", "description", "name", "phone", "email", "address",
                   "id_number", "account_number", "ticket_number", "outage_number", "concerned_staff", "language"]

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerned_staff"].queryset = (User.objects.filter(office=office, is_active=True)
                                                   .order_by("username") if office else User.objects.none())
        self.customer = None

    def clean(self):
        data = super().clean()
        account = data.get("account_number")
        if account:
            self.customer = Customer.objects.filter(account_number=account).first()
            if self.customer is None:
                self.add_error("account_number", _("No customer has this account number."))
        if data.get("kind") == Kind.REPORT and account:
            self.add_error("account_number", _("A report is not linked to an account: the reporter stays sealed."))
        return data

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"], "channel": data["channel"], "category": data.get("category") or "",
            "summary": data.get("summary") or "", "description": data["description"], "identity": self.identity(),
            "customer": self.customer, "language": data.get("language") or "",
            "ticket_number": data.get("ticket_number") or "", "outage_number": data.get("outage_number") or "",
            "concerned_staff": data.get("concerned_staff"),
        }


class PublicFeedbackForm(IdentityFields):
    """The public form: no login. `website` is a honeypot (hidden from people, filled by robots)."""

    PUBLIC_KINDS = [Kind.COMPLAINT, Kind.REPORT, Kind.SUGGESTION, Kind.PRAISE]

    kind = forms.ChoiceField(label=_("What would you like to send us?"), choices=Kind.choices,
                             widget=forms.RadioSelect)
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.order_by("name"), empty_label=None)
    summary = _line(_("Subject"), max_length=200)
    description = _text(_("Your message"), rows=6)
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    field_order = ["kind", "office", "summary", "description", "name", "phone", "email", "address", "website"]

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        if office is not None:
            self.fields["office"].initial = office.pk
        elif self.fields["office"].queryset.count() == 1:
            self.fields["office"].initial = self.fields["office"].queryset.first().pk

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class TrackForm(_Cleaned):
    code = _line(_("Tracking code"), required=True, max_length=24, autocapitalize="characters")
    secret = forms.CharField(label=_("Secret"), max_length=40,
                             widget=forms.PasswordInput(attrs={"autocomplete": "off"}))


class ListForm(_Cleaned):
    SCOPES = [("office", _("My office")), ("mine", _("Mine"))]
    q = _line(_("Search"), max_length=60, type="search")
    scope = forms.ChoiceField(label=_("Whose"), required=False, choices=SCOPES)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + list(Kind.choices))
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Open"))] + list(State.choices))

    def valid_data(self) -> dict:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) or "" for name in self.fields if name in self.cleaned_data}
        return {"q": (data.get("q") or "").strip(), "scope": data.get("scope") or "office",
                "kind": data.get("kind") or "", "state": data.get("state") or ""}


# --- the steps of the detail page -------------------------------------------------------------------------------

class ClassifyForm(_Cleaned):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)


class ReasonForm(_Cleaned):
    reason = _line(_("Reason"), required=True, max_length=255)


class AssignForm(_Cleaned):
    handler = IdModelChoiceField(label=_("Handler"), queryset=User.objects.none())

    def __init__(self, *args, office_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = (User.objects.filter(office_id=office_id, is_active=True)
                                           .order_by("username"))


class DraftForm(_Cleaned):
    finding = forms.ChoiceField(label=_("Finding"), required=False, choices=[("", "—")] + list(Finding.choices))
    root_cause = forms.ChoiceField(label=_("Root cause"), required=False,
                                   choices=[("", "—")] + list(RootCause.choices))
    findings_note = _text(_("Findings"), required=False, rows=3)
    reply_text = _text(_("Reply to the customer"), rows=6)


class ReplyChannelForm(_Cleaned):
    channel = forms.ChoiceField(label=_("Reply sent by"), choices=ReplyChannel.choices)


class MergeForm(_Cleaned):
    original = _line(_("Number of the original"), required=True, max_length=24)


class CallbackForm(_Cleaned):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Callback.Outcome.choices, widget=forms.RadioSelect)
    note = _line(_("Note"), max_length=1000)


class NoCallbackForm(_Cleaned):
    reason = _line(_("Reason there is no callback"), required=True, max_length=255)
    due = forms.BooleanField(label=_("A callback was due (counts as missed in the callback rate)"), required=False)


class NoteForm(_Cleaned):
    note = _line(_("Instruction to the owner"), required=True, max_length=255)


class CorrectiveActionForm(_Cleaned):
    description = _line(_("Corrective action"), required=True, max_length=255)
    owner = IdModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, office_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(office_id=office_id, is_active=True).order_by("username")
        self.fields["due_date"].initial = timezone.localdate()


class ActionDoneForm(_Cleaned):
    action_id = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    note = _line(_("What was done"), max_length=255)


class DecideForm(_Cleaned):
    request_id = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])


class IdentityReadForm(_Cleaned):
    reason = _line(_("Why do you need the identity?"), required=True, max_length=255)
