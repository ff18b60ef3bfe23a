"""Form fuzzing (issue 10, "Tests that stay in the suite"): every form of the project gets hostile input and must
never answer 500.

The forms are found, not listed: every page of the permission matrix (tests/test_permission_matrix.py — every URL
pattern, the admin's add/change/history pages included) is opened as a user who may use it (a manager, a counter
clerk, an anonymous visitor, a verified kiosk customer), and every <form> in it is parsed (fields, their types,
the options of each select, the named submit buttons). A form is fuzzed once (the first page and user that show
it), with hypothesis strategies per field type: the page's own value, empty, missing, very long, NUL bytes, invalid
UTF-8 sent as raw bytes, bidi controls, 40-digit and negative numbers, impossible dates and times, ids that do not
exist — after a fixed sweep per form (`sweeps`). Each example runs in a savepoint that is rolled back, with the
client's cookies put back.

Deterministic: `derandomize=True` and no example database (the same examples on every run). To explore with
random examples and more of them: HYPOTHESIS_PROFILE=explore.
"""

import copy
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.factories.world import build_world
from tests.test_permission_matrix import expand, rows, url_for

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=False,
                          phases=[Phase.explicit, Phase.generate, Phase.shrink],
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.register_profile("explore", parent=settings.get_profile("ci"), derandomize=False)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
SCALE = 4 if PROFILE == "explore" else 1
APP_EXAMPLES = 10 * SCALE      # per form of the staff pages, the kiosk and the public pages
ADMIN_EXAMPLES = 2 * SCALE     # per admin form (many, and Django's own)
POSTERS = ["anon", "customer", "manager", "clerk"]  # each page is opened by those of them who may open it
FUZZ_AS = {"counter:desk": ["manager", "clerk"]}  # the clerk's own open transaction has the "finish" form
OMIT = object()
ADMIN_MODEL_PATH = re.compile(r"^/admin/\w+/\w+/")


# --- finding the forms --------------------------------------------------------------------------------------------

@dataclass
class Field:
    name: str
    kind: str                     # text, textarea, number, date, datetime-local, time, select, checkbox, hidden, file …
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    page: str
    who: str
    method: str
    action: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        """The same form on many pages (the language switcher, the logout button) is fuzzed once; the kiosk's
        forms once more as the verified customer. An admin model's add, change and revert pages share one form
        class: fuzzed once."""
        path = urlsplit(self.action).path
        admin_model = ADMIN_MODEL_PATH.match(path)
        where = admin_model.group(0) if admin_model and path != admin_model.group(0) else path
        return self.method, where, tuple(sorted(self.fields)), self.who == "customer"

    @property
    def fuzzable(self) -> bool:
        """Something to vary besides the CSRF token (a read-only admin page has a form with the token only)."""
        return bool(set(self.fields) - {"csrfmiddlewaretoken"} or self.buttons)


class FormParser(HTMLParser):
    def __init__(self, page: str, who: str):
        super().__init__(convert_charrefs=True)
        self.page, self.who = page, who
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))
            if "selected" in a:
                self.select.value = a.get("value", "")
        elif tag == "form":
            self.form = Form(page=self.page, who=self.who, method=(a.get("method") or "get").upper(),
                             action=urljoin(self.page, a.get("action") or self.page),
                             multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self.form)
        elif self.form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button"):
                self.form.buttons.append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                f = self.form.fields.setdefault(a["name"], Field(a["name"], kind))
                f.options.append(a.get("value", "on"))
                if "checked" in a:
                    f.value = a.get("value", "on")
            else:
                self.form.fields[a["name"]] = Field(a["name"], kind, a.get("value", ""))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = self.form.fields[a["name"]] = Field(a["name"], "select", multiple="multiple" in a)
        elif tag == "textarea":
            self.textarea = self.form.fields[a["name"]] = Field(a["name"], "textarea")

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def discover(world, clients, selected) -> list[Form]:
    """Every distinct form on the pages of the matrix that `selected(key)` picks, as the first poster who may open
    the page."""
    forms: dict[tuple, Form] = {}
    for key, pattern, row in rows():
        if not selected(key):
            continue
        cells = expand(row.get)
        try:
            url = url_for(world, pattern, row)
        except Exception:  # noqa: S112 — the matrix reports a row it cannot fill
            continue
        allowed = [who for who in POSTERS if cells[who] == "200"]
        posters = FUZZ_AS.get(key, allowed[:1] + (["customer"] if key.startswith("kiosk:") else []))
        for who in dict.fromkeys(posters):
            if cells[who] != "200":
                continue
            response = clients[who].get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser(url, who)
            parser.feed(response.content.decode("utf-8", "replace"))
            for form in parser.forms:
                if urlsplit(form.action).netloc in ("", "testserver") and form.fuzzable:
                    forms.setdefault(form.key, form)
    return list(forms.values())


# --- hostile values -----------------------------------------------------------------------------------------------

NASTY = [
    "", " ", "\x00", "a\x00b", "\u202etxt.exe\u202c", "\u2066\u2067\u2068\u2069\u200e\u200f\u061c", "\ufeff",
    "<script>alert(1)</script>", "'\"; DROP TABLE x; --", "%s%n{0}", "../../etc/passwd", "🙂" * 30, "ئۇيغۇرچە",
    "བོད་ཡིག", "Ⅻ", "٣٤٥", "１２３", "\r\n\t", "x" * 5000,
]
NUMBERS = ["9" * 40, "-" + "9" * 40, "-1", "0", "-0", "1.5", "1e308", "-1e308", "NaN", "Infinity", "0x1F", "2147483648",
           "9223372036854775808", "18446744073709551616", "1" + "0" * 30 + ".5", "00000000000000000001"]
DATES = ["2026-02-30", "2026-13-01", "0000-00-00", "0001-01-01", "9999-12-31", "99999-01-01", "-2026-01-01",
         "2026/01/01", "01/02/2026", "2026-1-1", "2026-01-01T25:61", "2026-01-01 24:00", "9999-12-31T23:59:59",
         "1970-01-01T00:00", "25:61", "24:00", "23:59:60", "-1:00", "2026-W01"]
RAW_BYTES = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\x80abc", b"\xf4\x90\x80\x80", b"caf\xe9", b"\x00\xff"]


def hostile(f: Field):
    common = st.one_of(st.sampled_from(NASTY), st.text(max_size=60), st.sampled_from(RAW_BYTES),
                       st.binary(max_size=30))
    if f.kind in ("number", "range"):
        return st.one_of(st.sampled_from(NUMBERS), st.integers(-(10**40), 10**40).map(str), common)
    if f.kind in ("date", "datetime-local", "time", "month", "week"):
        return st.one_of(st.sampled_from(DATES), st.datetimes().map(lambda d: d.isoformat()), common)
    if f.kind in ("select", "radio", "checkbox"):
        return st.one_of(st.sampled_from(NUMBERS), common)
    return st.one_of(common, st.sampled_from(NUMBERS), st.sampled_from(DATES))


def field_strategy(f: Field):
    own = [o for o in f.options if o] or ([f.value] if f.value else [])
    choices = [st.just(OMIT), hostile(f)]
    if own:
        choices.insert(0, st.sampled_from(own))
    if f.multiple:
        return st.lists(st.one_of(*choices[:-1], hostile(f)), max_size=4)
    return st.one_of(*choices)


def form_strategy(form: Form):
    values = st.fixed_dictionaries({name: field_strategy(f) for name, f in form.fields.items() if f.kind != "file"})
    files = st.fixed_dictionaries({name: st.binary(max_size=3000) for name, f in form.fields.items()
                                   if f.kind == "file"})
    button = st.sampled_from([None, *form.buttons]) if form.buttons else st.just(None)
    return st.tuples(values, files, button)


# --- sending ------------------------------------------------------------------------------------------------------

SWEEP = ["9" * 40, "1.5", "\x00", b"\xff\xfe"]  # every form also gets these, deterministically (below)
CHOICES = ("select", "radio")


def sweeps(form: Form) -> list[tuple]:
    """Explicit examples, one field class at a time: (a) the fields the user fills in (text, numbers, dates,
    checkboxes such as the admin's `_selected_action`) all get one hostile value while the choices and the hidden
    fields keep the page's values; (b) the choices get it while the rest keep the page's values. Catches a bad id
    behind a valid action, a 40-digit id in a select of an otherwise valid form, NUL and invalid UTF-8 everywhere."""
    def own(f: Field):
        return next((o for o in f.options if o), f.value)

    examples = []
    for bad in SWEEP:
        for hostile_kinds in (lambda f: f.kind not in (*CHOICES, "hidden"), lambda f: f.kind in CHOICES):
            values = {name: bad if hostile_kinds(f) else own(f)
                      for name, f in form.fields.items() if f.kind != "file"}
            values = {name: [v] if form.fields[name].multiple else v for name, v in values.items()}
            example = (values, {name: b"\xff\x00" for name, f in form.fields.items() if f.kind == "file"},
                       form.buttons[0] if form.buttons else None)
            if example not in examples:
                examples.append(example)
    return examples


def _pairs(values: dict, button) -> list[tuple[str, str | bytes]]:
    pairs = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            if item is not OMIT:
                pairs.append((name, item))
    if button:
        pairs.append(button)
    return pairs


def send(client, form: Form, values: dict, files: dict, button):
    """One submission; the database and the client's cookies are put back afterwards. (status, what was sent)."""
    pairs = _pairs(values, button)
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if form.method == "GET":
            response = client.get(form.action, QUERY_STRING=urlencode(pairs))
        elif form.multipart:
            data: dict = {}
            for name, value in pairs:
                data.setdefault(name, []).append(value.decode("latin-1") if isinstance(value, bytes) else value)
            for name, content in files.items():
                data[name] = SimpleUploadedFile(f"{name}.csv", content, content_type="text/csv")
            response = client.post(form.action, data)
        else:
            response = client.generic("POST", form.action, urlencode(pairs),
                                      content_type="application/x-www-form-urlencoded")
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, pairs


def _explain(form: Form, response, pairs) -> str:
    exc = getattr(response, "exc_info", None)
    error = f"{exc[0].__name__}: {exc[1]}" if exc else ""
    shown = [(name, value if len(value) < 80 else value[:60] + f"…({len(value)})") for name, value in pairs]
    return (f"{response.status_code} on {form.method} {form.action} as {form.who} (form of {form.page}) "
            f"{error}\n    sent: {shown}")


def fuzz(client, form: Form, examples: int) -> str:
    """'' when no example answered ≥ 500, else the (shrunk) failing example."""
    found = []

    @settings(settings.get_profile(PROFILE), max_examples=examples)
    @given(form_strategy(form))
    def run(example):
        values, files, button = example
        response, pairs = send(client, form, values, files, button)
        if response.status_code >= 500:
            found[:] = [_explain(form, response, pairs)]
            raise AssertionError(found[0])

    for explicit in sweeps(form):
        run = example(explicit)(run)
    try:
        run()
    except Exception as exc:  # hypothesis re-raises the shrunk example (or says it was flaky)
        return found[0] if found else f"{form.method} {form.action}: {exc!r}"
    return ""


# --- the tests ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _fuzz_all(world, selected, examples) -> tuple[list[Form], list[str]]:
    clients = {who: world.client(who) for who in POSTERS}
    forms = discover(world, clients, selected)
    failures = [message for form in forms if (message := fuzz(clients[form.who], form, examples))]
    return forms, failures


@pytest.mark.django_db
def test_no_form_of_the_staff_kiosk_or_public_pages_answers_500(world):
    forms, failures = _fuzz_all(world, lambda key: not key.startswith("admin"), APP_EXAMPLES)
    assert len(forms) >= 20, f"only {len(forms)} forms found: is the crawl broken?"
    assert not failures, f"{len(failures)} of {len(forms)} forms answered ≥ 500:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_no_admin_form_answers_500(world):
    forms, failures = _fuzz_all(world, lambda key: key.startswith("admin"), ADMIN_EXAMPLES)
    assert len(forms) >= 30, f"only {len(forms)} forms found: is the crawl broken?"
    assert not failures, f"{len(failures)} of {len(forms)} admin forms answered ≥ 500:\n" + "\n".join(failures)
