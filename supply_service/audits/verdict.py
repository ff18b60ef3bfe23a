"""The demonstration-window verdict (S3–S5) for an office and a year: each criterion with pass/fail and its
evidence, and the overall verdict — passed only when every criterion passed; failed when one failed; otherwise
"not established" (something is not measurable yet or not audited).

- S3: the latest audit of the year (demonstration-window or cross-inspection, submitted or later) passed;
- S4, S5.1: recorded by the auditor — the answer to their checklist item in that audit;
- S5.2: fulfilment of every service commitment settled in the year = the target (100%);
- S5.3: connection, reliability, power quality and satisfaction each better than last year (registered measures:
  a rate in per cent is better higher, a time is better lower);
- S5.4: no major incident recorded in the year."""

from dataclasses import dataclass, field
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supply_service.audits.measures import commitment_fulfilment_measure
from supply_service.audits.models import Answer, Audit, AuditKind, MajorIncident
from supply_service.core.measures import MeasureResult, measure_for_key, measures_for_requirement
from supply_service.core.services.calendar import period_bounds

# S5.3's four aspects: (label, requirement whose measures give it, preferred measure key)
IMPROVEMENT_ASPECTS = [
    (gettext_lazy("Connection time"), "S10.2.2", ""),
    (gettext_lazy("Supply reliability"), "S6.4", ""),
    (gettext_lazy("Power quality"), "S6.1", ""),
    (gettext_lazy("Customer satisfaction"), "S5.3", "survey_satisfaction"),
]


@dataclass
class Criterion:
    requirement: str
    label: str
    passed: bool | None
    evidence: list[str] = field(default_factory=list)

    @property
    def result(self) -> str:
        return {True: "passed", False: "failed", None: "unknown"}[self.passed]


@dataclass
class Verdict:
    office: object
    year: int
    criteria: list[Criterion]
    audit: Audit | None

    @property
    def passed(self) -> bool | None:
        results = [c.passed for c in self.criteria]
        if any(r is False for r in results):
            return False
        return True if all(r is True for r in results) else None


def _latest_audit(office, year: int) -> Audit | None:
    return (Audit.objects.filter(office=office, kind__in=[AuditKind.ROUTINE, AuditKind.CROSS_INSPECTION],
                                 state__in=[Audit.State.SUBMITTED, Audit.State.REVIEWED, Audit.State.CLOSED],
                                 submitted_at__year=year)
            .select_related("auditor").order_by("-submitted_at").first())


def _recorded(audit: Audit | None, answers: dict[str, Answer], requirement: str, label) -> Criterion:
    answer = answers.get(requirement)
    if audit is None or answer is None or answer.result not in ("passed", "failed"):
        return Criterion(requirement, str(label), None, [_("Not recorded by an auditor this year.")])
    return Criterion(requirement, str(label), answer.result == "passed",
                     [_("Recorded by %(auditor)s in %(number)s.") % {"auditor": audit.auditor, "number": audit.number},
                      *([answer.note] if answer.note else [])])


def _s3(audit: Audit | None) -> Criterion:
    label = _("Meets the ordinary standardized-window standard (latest audit)")
    if audit is None:
        return Criterion("S3", label, None, [_("No audit submitted this year.")])
    return Criterion("S3", label, audit.passed, [
        _("%(number)s: score %(score)s") % {"number": audit.number,
                                             "score": audit.score if audit.score is not None else "—"},
        *([_("A critical item failed.")] if audit.critical_failed else [])])


def _figure(result: MeasureResult | None) -> str:
    if result is None or result.value is None:
        return "—"
    return f"{result.value}{'%' if result.unit == '%' else ' ' + result.unit}"


def _s52(office, start, end) -> Criterion:
    result = commitment_fulfilment_measure(office=office, start=start, end=end)
    evidence = [_("Fulfilment %(rate)s (%(met)s of %(total)s), target %(target)s%%") % {
        "rate": _figure(result), "met": result.numerator or 0, "total": result.denominator or 0,
        "target": result.target if result.target is not None else "—"}]
    return Criterion("S5.2", _("Service-commitment fulfilment rate 100%"), result.passed, evidence)


def _aspect_measure(requirement: str, key: str):
    if key and measure_for_key(key):
        return measure_for_key(key)
    found = measures_for_requirement(requirement)
    timed = [m for m in found if not m.key.startswith("commitments_")]  # a time or a rate of its own first
    return (timed or found or [None])[0]


def _s53(office, year: int) -> Criterion:
    this_start, this_end = period_bounds(year=year)
    last_start, last_end = period_bounds(year=year - 1)
    results, evidence = [], []
    for label, requirement, key in IMPROVEMENT_ASPECTS:
        measure = _aspect_measure(requirement, key)
        if measure is None:
            results.append(None)
            evidence.append(_("%(aspect)s: not measurable yet.") % {"aspect": label})
            continue
        now = measure(office=office, start=this_start, end=this_end)
        before = measure(office=office, start=last_start, end=last_end)
        improved = None
        if now.value is not None and before.value is not None:
            improved = now.value > before.value if now.unit == "%" else now.value < before.value
        results.append(improved)
        evidence.append(_("%(aspect)s: %(now)s this year, %(before)s last year") % {
            "aspect": label, "now": _figure(now), "before": _figure(before)})
    passed = False if False in results else (True if all(r is True for r in results) else None)
    return Criterion("S5.3", _("Visible yearly improvement"), passed, evidence)


def _s54(office, year: int) -> Criterion:
    incidents = list(MajorIncident.objects.filter(office=office, occurred_on__year=year, is_major=True)
                     .order_by("occurred_on").values_list("occurred_on", "description"))
    evidence = [f"{day}: {text[:80]}" for day, text in incidents] or [_("No major incident recorded.")]
    return Criterion("S5.4", _("No major incident harming the company's image"), not incidents, evidence)


def verdict_for(*, office, year: int) -> Verdict:
    """The verdict of `office` for `year` (a constant number of queries plus the registered measures')."""
    start, end = period_bounds(year=year)
    audit = _latest_audit(office, year)
    answers = {}
    if audit is not None:
        for answer in audit.answers.filter(item__requirement__in=["S4", "S5.1"]).select_related("item"):
            answers[answer.item.requirement] = answer
    criteria = [
        _s3(audit),
        _recorded(audit, answers, "S4", _("Technical support system; MIS and 95598 rated good")),
        _recorded(audit, answers, "S5.1", _("Near the top of the government's conduct evaluation")),
        _s52(office, start, end),
        _s53(office, year),
        _s54(office, year),
    ]
    return Verdict(office=office, year=year, criteria=criteria, audit=audit)


def verdict_workbook(verdict: Verdict) -> bytes:
    """The verdict as an Excel workbook (openpyxl): one row per criterion, the overall verdict last."""
    from openpyxl import Workbook

    words = {True: _("Passed"), False: _("Failed"), None: _("Not established")}
    book = Workbook()
    sheet = book.active
    sheet.title = str(verdict.year)
    sheet.append([_("Demonstration-window eligibility"), str(verdict.office), verdict.year])
    sheet.append([_("Requirement"), _("Criterion"), _("Result"), _("Evidence")])
    for criterion in verdict.criteria:
        sheet.append([criterion.requirement, criterion.label, words[criterion.passed],
                      "\n".join(str(e) for e in criterion.evidence)])
    sheet.append([])
    sheet.append([_("Overall verdict"), "", words[verdict.passed], ""])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
