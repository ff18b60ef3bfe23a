"""Requirements the product can only audit (issue 17): the auditor's answers decide them, the verdict reads them,
failures raise corrective actions; engagement records (S13.2, S13.3) are kept and shown."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from supply_service.audits.models import Answer, CorrectiveAction, EngagementRecord, ServiceSupervisor
from supply_service.audits.services import audit_answer, audit_submit
from supply_service.audits.verdict import verdict_for
from tests.factories.audits import answer_all as _answer_all
from tests.factories.audits import started_audit

pytestmark = pytest.mark.django_db


def _criterion(verdict, requirement):
    return next(c for c in verdict.criteria if c.requirement == requirement)


def test_latest_audit_decides_S3_and_the_auditor_records_S4_and_S5_1(office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    _answer_all(audit, auditor)
    audit_submit(audit=audit, by=auditor)
    audit.refresh_from_db()
    verdict = verdict_for(office=office, year=timezone.localdate().year)
    assert _criterion(verdict, "S3").passed is audit.passed
    assert _criterion(verdict, "S4").passed is True
    assert _criterion(verdict, "S5.1").passed is True


def test_no_audit_leaves_S3_S4_S5_1_not_established(office):
    verdict = verdict_for(office=office, year=timezone.localdate().year)
    assert [_criterion(verdict, r).passed for r in ("S3", "S4", "S5.1")] == [None, None, None]
    assert verdict.passed in (None, False)


def test_staff_and_signage_scores_below_the_pass_score_fail_S7_1_S7_2_S7_3_S8_1(office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    for key in ("conduct", "skills", "communication", "signage"):
        item = audit.template.items.get(key=key)
        audit_answer(audit=audit, item=item, by=auditor, value="score", score=item.pass_score - 1, note="抽查")
        assert Answer.objects.get(audit=audit, item=item).result == "failed"
        audit_answer(audit=audit, item=item, by=auditor, value="score", score=item.pass_score)
        assert Answer.objects.get(audit=audit, item=item).result == "passed"


def test_customer_managers_counted_by_the_auditor_S10_3_7(office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    item = audit.template.items.get(key="customer-managers")
    audit_answer(audit=audit, item=item, by=auditor, value="number", number=Decimal(0), note="无客户经理")
    assert Answer.objects.get(audit=audit, item=item).result == "failed"


@pytest.mark.req("S9.3", "S10.1.2", "S10.3.2", "S11.1", "S11.2", "S11.3", "S12.1")
def test_a_no_on_an_audited_requirement_raises_its_corrective_action(office, auditor):
    keys = {"fax-mail": "S9.3", "around-the-clock": "S10.1.2", "consultation": "S10.3.2",
            "customer-centred": "S11.1", "integrated-processes": "S11.2", "quality-standards-customer": "S11.3",
            "quality-standards-process": "S12.1"}
    audit = started_audit(office=office, auditor=auditor)
    _answer_all(audit, auditor, fail=tuple(keys))
    audit_submit(audit=audit, by=auditor)
    raised = set(CorrectiveAction.objects.filter(audit=audit).values_list("requirement", flat=True))
    assert set(keys.values()) <= raised


def test_supervisor_visits_and_reception_days_are_kept_and_shown_S13_2_S13_3(client, office, manager):
    supervisor = ServiceSupervisor.objects.create(office=office, name="王监督", organisation="人大代表",
                                                  appointed_on=timezone.localdate())
    today = timezone.localdate()
    EngagementRecord.objects.create(office=office, kind="supervisor_visit", held_on=today, title="走访营业厅",
                                    supervisor=supervisor, participants="王监督", minutes="建议增加座椅",
                                    follow_up="已采购", recorded_by=manager)
    EngagementRecord.objects.create(office=office, kind="reception_day", held_on=today, title="领导接待日",
                                    participants="主任、客户5人", minutes="接待记录", recorded_by=manager)
    client.force_login(manager)
    page = client.get(reverse("audits:records"))
    assert page.status_code == 200
    assert 'data-kind="supervisor_visit"' in page.text and 'data-kind="reception_day"' in page.text
    assert "王监督" in page.text
