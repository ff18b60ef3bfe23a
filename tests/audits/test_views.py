"""The audit pages (issue 17): the phone page with a photo, steps, the rectification notice, photos only to staff
who may see them, the corrective action in the owner's work, bad input, constant query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from supply_service.audits.models import Answer, Audit, CorrectiveAction, Evidence
from supply_service.core.models import OpenWork
from tests.factories.audits import answer_all as _answer_all
from tests.factories.audits import photo, plan_audit, started_audit

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_auditor_plans_starts_and_answers_with_a_photo(client, office, auditor, clerk):
    _client(client, auditor)
    day = timezone.localdate().isoformat()
    response = client.post(reverse("audits:new"), {"office": office.pk, "kind": "routine", "auditor": auditor.pk,
                                                    "planned_for": day})
    audit = Audit.objects.get()
    assert response.status_code == 302 and audit.state == "planned"
    response = client.post(reverse("audits:step", args=[audit.number, "start"]), {"seen_state": "planned"})
    assert response.url == reverse("audits:conduct", args=[audit.number])
    item = audit.template.items.get(key="posted-information")
    response = client.post(reverse("audits:answer", args=[audit.number, item.pk]),
                           {"value": "no", "note": "", "photo": photo(), "action_owner": clerk.pk})
    assert response.status_code == 302
    answer = Answer.objects.get(audit=audit, item=item)
    assert answer.result == "failed" and answer.action_owner == clerk and answer.evidence.count() == 1
    page = client.get(reverse("audits:conduct", args=[audit.number]))
    assert page.status_code == 200 and reverse("audits:evidence", args=[Evidence.objects.get().pk]) in page.text


def test_a_failed_answer_without_photo_or_note_is_refused_with_a_message(client, office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    item = audit.template.items.get(key="posted-information")
    response = _client(client, auditor).post(reverse("audits:answer", args=[audit.number, item.pk]),
                                             {"value": "no"}, follow=True)
    assert response.status_code == 200
    assert not Answer.objects.filter(audit=audit, item=item).exists()
    assert any("photo" in str(m) or "照片" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("data", [{"value": "maybe"}, {"value": "score", "score": "x"}, {"value": "number", "number": "3"},
                                  {"value": "no", "note": "n", "action_owner": "99999"}])
def test_bad_answers_change_nothing_and_never_500(client, office, auditor, data):
    audit = started_audit(office=office, auditor=auditor)
    item = audit.template.items.get(key="posted-information")
    response = _client(client, auditor).post(reverse("audits:answer", args=[audit.number, item.pk]), data)
    assert response.status_code == 302
    assert not Answer.objects.filter(audit=audit, item=item).exists()


def test_a_non_image_photo_is_refused_on_the_page(client, office, auditor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    audit = started_audit(office=office, auditor=auditor)
    item = audit.template.items.get(key="posted-information")
    fake = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    _client(client, auditor).post(reverse("audits:answer", args=[audit.number, item.pk]),
                                  {"value": "no", "note": "n", "photo": fake})
    assert not Evidence.objects.exists() and not Answer.objects.filter(audit=audit, item=item).exists()


@pytest.fixture
def submitted(office, auditor, clerk):
    audit = started_audit(office=office, auditor=auditor)
    _answer_all(audit, auditor, fail=("posted-information",))
    from supply_service.audits.services import audit_answer, audit_submit

    audit_answer(audit=audit, item=audit.template.items.get(key="posted-information"), by=auditor, value="no",
                 note="价目表过期", photo=photo(), action_owner=clerk)
    return audit_submit(audit=audit, by=auditor)


def test_corrective_action_appears_in_the_owners_work_and_its_page(client, submitted, clerk):
    action = CorrectiveAction.objects.get(audit=submitted, requirement="S8.3")
    assert OpenWork.objects.filter(owner=clerk, kind="corrective_action").exists()
    home = _client(client, clerk).get(reverse("core:home"))
    assert action.number in home.text
    page = client.get(reverse("audits:action_detail", args=[action.number]))
    assert page.status_code == 200 and "价目表过期" in page.text
    photo_id = Evidence.objects.get(answer=action.answer).pk
    assert client.get(reverse("audits:evidence", args=[photo_id])).status_code == 200
    client.post(reverse("audits:action_step", args=[action.number, "complete"]), {"note": "已更新价目表",
                                                                                  "seen_state": "open"})
    action.refresh_from_db()
    assert action.state == "done"


def test_photos_are_not_shown_to_other_offices_or_customers(client, submitted, outsider):
    evidence = Evidence.objects.first()
    assert client.get(reverse("audits:evidence", args=[evidence.pk])).status_code == 302  # to the login
    assert _client(client, outsider).get(reverse("audits:evidence", args=[evidence.pk])).status_code == 403


def test_manager_reviews_prints_the_notice_and_closure_waits_for_verification(client, submitted, manager, auditor):
    _client(client, manager)
    client.post(reverse("audits:step", args=[submitted.number, "review"]), {"summary": "整改后复查"})
    submitted.refresh_from_db()
    assert submitted.state == "reviewed" and submitted.recheck_on
    notice = client.get(reverse("audits:notice", args=[submitted.number]))
    assert notice.status_code == 200 and submitted.recheck_on.isoformat() in notice.text
    client.post(reverse("audits:step", args=[submitted.number, "close"]))
    submitted.refresh_from_db()
    assert submitted.state == "reviewed"


def test_unknown_step_is_404_and_a_stale_form_changes_nothing(client, office, auditor):
    audit = plan_audit(office=office, auditor=auditor)
    _client(client, auditor)
    assert client.post(reverse("audits:step", args=[audit.number, "explode"])).status_code == 404
    client.post(reverse("audits:step", args=[audit.number, "start"]), {"seen_state": "submitted"})
    audit.refresh_from_db()
    assert audit.state == "planned"


def test_verdict_flips_when_fulfilment_drops_below_100_percent_S5_2(client, office, manager, auditor):
    from supply_service.audits.verdict import verdict_for
    from supply_service.core.models import Commitment, SlaClock
    from tests.factories.core import SampleItemFactory

    year = timezone.localdate().year
    item = SampleItemFactory(office=office)
    commitment = Commitment.objects.get(code="bill_query_reply")

    def clock(state):
        now = timezone.now()
        return SlaClock.objects.create(commitment=commitment, content_type_id=1,
                                       object_id=item.pk + SlaClock.objects.count(), subject_label="x",
                                       office=office, started_at=now - timedelta(hours=2),
                                       due_at=now - timedelta(hours=1), stopped_at=now, settled_at=now, state=state)

    clock("met")
    s52 = next(c for c in verdict_for(office=office, year=year).criteria if c.requirement == "S5.2")
    assert s52.passed is True
    clock("breached")
    s52 = next(c for c in verdict_for(office=office, year=year).criteria if c.requirement == "S5.2")
    assert s52.passed is False
    verdict = verdict_for(office=office, year=year)
    assert verdict.passed is False
    page = _client(client, manager).get(reverse("audits:verdict"), {"office": office.pk, "year": year})
    assert page.status_code == 200 and 'data-result="failed"' in page.text
    export = client.get(reverse("audits:verdict"), {"office": office.pk, "year": year, "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_verdict_refuses_a_bad_year(client, manager):
    response = _client(client, manager).get(reverse("audits:verdict"), {"office": "x", "year": "99999"})
    assert response.status_code == 400


def test_major_incident_fails_S5_4(office, manager):
    from supply_service.audits.models import MajorIncident
    from supply_service.audits.verdict import verdict_for

    MajorIncident.objects.create(office=office, occurred_on=timezone.localdate(), description="媒体曝光",
                                 recorded_by=manager)
    verdict = verdict_for(office=office, year=timezone.localdate().year)
    assert next(c for c in verdict.criteria if c.requirement == "S5.4").passed is False


def test_requirements_page_shows_every_id_and_the_latest_result(client, submitted, manager):
    from supply_service.core.standard import IDS

    page = _client(client, manager).get(reverse("audits:requirements"))
    assert page.status_code == 200
    for requirement in IDS:
        assert f'data-id="{requirement}"' in page.text
    assert 'data-id="S8.3" data-latest="failed"' in page.text


def test_survey_import_all_or_nothing(client, office, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from supply_service.audits.models import SurveyResult

    good = f"office,year,period,company,respondents,satisfaction,findings\n{office.code},2026,2026-H1,调查公司,400,92.5,好\n"
    bad = good + f"{office.code},2026,2026-H2,调查公司,x,90,\n"
    _client(client, manager)
    response = client.post(reverse("audits:survey_import"), {"file": SimpleUploadedFile("s.csv", bad.encode())})
    assert response.status_code == 400 and not SurveyResult.objects.exists()
    response = client.post(reverse("audits:survey_import"), {"file": SimpleUploadedFile("s.csv", good.encode())})
    assert response.status_code == 302 and SurveyResult.objects.get().satisfaction == Decimal("92.5")


@pytest.mark.parametrize("extra", [0, 2])
def test_pages_read_a_constant_number_of_queries(client, office, auditor, manager, extra,
                                                 django_assert_max_num_queries):
    audits = [started_audit(office=office, auditor=auditor) for _ in range(1 + extra)]
    audit = audits[0]
    _client(client, auditor)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("audits:conduct", args=[audit.number])).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("audits:detail", args=[audit.number])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("audits:list")).status_code == 200
