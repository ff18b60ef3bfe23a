"""The audit workflow in its services (issue 17, step 2): computed items, answers, evidence, scoring, corrective
actions and closure, permissions per transition, re-checks."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from PIL import Image

from supply_service.audits.models import Answer, Audit, CorrectiveAction, Evidence
from supply_service.audits.services import (
    audit_answer,
    audit_cancel,
    audit_close,
    audit_plan,
    audit_plan_recheck,
    audit_review,
    audit_start,
    audit_submit,
)
from supply_service.audits.services_actions import action_complete, action_reject, action_verify
from supply_service.core.models import OpenWork, Policy, SlaClock
from supply_service.core.services.sla import sla_sweep
from tests.factories.audits import answer_all as _answer_all
from tests.factories.audits import on_duty, photo, plan_audit, speaker, started_audit
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db


def _item(audit, key):
    return audit.template.items.get(key=key)


def _answer(audit, key):
    return Answer.objects.get(audit=audit, item__key=key)


# --- computed items -------------------------------------------------------------------------------------------

def test_english_and_sign_language_on_duty_passes_S7_4(office, auditor):
    today = timezone.localdate()
    on_duty(office=office, staff=speaker(office=office, code="en", username="en1"), day=today)
    on_duty(office=office, staff=speaker(office=office, code="csl", username="sign1"), day=today)
    audit = started_audit(office=office, auditor=auditor)
    assert _answer(audit, "languages-on-duty").result == Answer.Result.PASSED


def test_english_speaker_off_duty_fails_S7_4_and_the_whole_audit(office, auditor):
    today = timezone.localdate()
    speaker(office=office, code="en", username="en1")  # on the staff, but not on today's roster
    on_duty(office=office, staff=speaker(office=office, code="csl", username="sign1"), day=today)
    on_duty(office=office, staff=speaker(office=office, code="en", username="en2"), day=today - timedelta(days=1))
    audit = started_audit(office=office, auditor=auditor)
    answer = _answer(audit, "languages-on-duty")
    assert answer.result == Answer.Result.FAILED
    assert "0" in answer.computed_value
    _answer_all(audit, auditor)
    audit_submit(audit=audit, by=auditor)
    audit.refresh_from_db()
    assert audit.critical_failed and audit.passed is False
    assert CorrectiveAction.objects.filter(audit=audit, requirement="S7.4").exists()


def test_payment_methods_computed_S10_3_4(office, auditor):
    from supply_service.customers.models import PaymentMethod

    audit = started_audit(office=office, auditor=auditor)
    offered = PaymentMethod.objects.filter(is_active=True).count()
    assert _answer(audit, "payment-methods").result == ("passed" if offered >= 3 else "failed")
    PaymentMethod.objects.filter(pk__in=list(PaymentMethod.objects.values_list("pk", flat=True)[:max(0, offered - 2)])
                                 ).update(is_active=False)
    audit_submit_ready = audit  # measured again at submission
    from supply_service.audits.services import audit_measure

    audit_measure(audit=audit_submit_ready, by=auditor)
    assert _answer(audit, "payment-methods").result == "failed"


def test_forums_counted_this_year_S12_2(office, auditor, manager):
    from supply_service.audits.models import EngagementRecord

    today = timezone.localdate()
    for n in range(3):
        EngagementRecord.objects.create(office=office, kind="forum", held_on=today - timedelta(days=30 * n + 1),
                                        title=f"座谈会 {n}", participants="客户代表", minutes="纪要",
                                        recorded_by=manager)
    audit = started_audit(office=office, auditor=auditor)
    assert _answer(audit, "forums").result == "passed"


def test_an_unregistered_measure_is_not_measurable_and_leaves_the_score(office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    answer = _answer(audit, "voltage-normal")  # S6.1: the quality app's measure, when it registers one
    from supply_service.core.measures import measures_for_requirement

    if not measures_for_requirement("S6.1"):
        assert answer.result == Answer.Result.NOT_MEASURABLE and answer.fraction is None


# --- answers and evidence -------------------------------------------------------------------------------------

def test_a_failed_item_needs_a_photo_or_a_note(office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    item = _item(audit, "posted-information")
    with pytest.raises(ValidationError):
        audit_answer(audit=audit, item=item, by=auditor, value="no")
    assert not Answer.objects.filter(audit=audit, item=item).exists()
    audit_answer(audit=audit, item=item, by=auditor, value="no", photo=photo())
    assert _answer(audit, "posted-information").result == "failed"


def test_evidence_is_re_encoded_without_exif(office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    audit_answer(audit=audit, item=_item(audit, "signage"), by=auditor, value="score", score=2,
                 photo=photo(size=(4000, 3000)), note="门头标识褪色")
    evidence = Evidence.objects.get()
    data = bytes(evidence.image)
    assert b"SecretCam" not in data and b"GPS" not in data
    with Image.open(BytesIO(data)) as image:
        assert image.format == "JPEG" and not image.getexif()
        assert max(image.size) == Policy.objects.get(code="audit_photo_max_side").value


def test_evidence_rejects_a_non_image_and_changes_nothing(office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    fake = SimpleUploadedFile("photo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        audit_answer(audit=audit, item=_item(audit, "posted-information"), by=auditor, value="no", photo=fake,
                     note="x")
    assert not Answer.objects.filter(audit=audit, item__key="posted-information").exists()
    assert not Evidence.objects.exists()


def test_evidence_rejects_a_huge_file(office, auditor):
    Policy.objects.filter(code="audit_photo_max_kb").update(value=1)
    audit = started_audit(office=office, auditor=auditor)
    big = photo(size=(600, 600), fmt="PNG", name="big.png")
    assert big.size > 1024
    with pytest.raises(ValidationError, match="KB"):
        audit_answer(audit=audit, item=_item(audit, "posted-information"), by=auditor, value="no", photo=big)
    assert not Evidence.objects.exists()


def test_answers_only_while_in_progress_and_only_by_the_auditor(office, auditor, manager):
    audit = plan_audit(office=office, auditor=auditor)
    item = _item(audit, "posted-information")
    with pytest.raises(TransitionNotAllowed):
        audit_answer(audit=audit, item=item, by=auditor, value="yes")
    audit_start(audit=audit, by=auditor)
    with pytest.raises(PermissionDenied):
        audit_answer(audit=audit, item=item, by=manager, value="yes")


def test_bad_answers_are_refused(office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    with pytest.raises(ValidationError):
        audit_answer(audit=audit, item=_item(audit, "signage"), by=auditor, value="score", score=9)
    with pytest.raises(ValidationError):
        audit_answer(audit=audit, item=_item(audit, "posted-information"), by=auditor, value="maybe")
    with pytest.raises(ValidationError):
        audit_answer(audit=audit, item=_item(audit, "kiosks-working"), by=auditor, value="number", number=Decimal(-1))
    assert not Answer.objects.filter(audit=audit, item__answer_type__in=["yes_no", "score", "number"]).exists()


# --- scoring --------------------------------------------------------------------------------------------------

def test_not_applicable_leaves_the_score_and_a_score_item_earns_its_share(office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    audit_answer(audit=audit, item=_item(audit, "home-service"), by=auditor, value="na")
    answer = _answer(audit, "home-service")
    assert answer.result == "na" and answer.fraction is None
    audit_answer(audit=audit, item=_item(audit, "signage"), by=auditor, value="score", score=4)
    answer = _answer(audit, "signage")
    assert answer.result == "passed" and answer.fraction == Decimal("0.8")


def test_scoring_weights_na_and_critical():
    from supply_service.audits.scoring import audit_score

    one, three = Decimal(1), Decimal(3)
    result = audit_score([(one, False, "passed", Decimal(1)), (three, False, "failed", Decimal(0)),
                          (one, False, "na", None), (three, False, "unmeasurable", None)])
    assert result.score == Decimal("25.0") and not result.critical_failed and result.counted == 2
    assert result.passed(pass_score=Decimal(20)) is True
    critical = audit_score([(one, True, "failed", Decimal(0)), (three, False, "passed", Decimal(1))])
    assert critical.score == Decimal("75.0") and critical.passed(pass_score=Decimal(10)) is False
    assert audit_score([(one, False, "na", None)]).score is None


def test_submit_refuses_unanswered_items(office, auditor):
    audit = started_audit(office=office, auditor=auditor)
    with pytest.raises(ValidationError):
        audit_submit(audit=audit, by=auditor)
    audit.refresh_from_db()
    assert audit.state == Audit.State.IN_PROGRESS


# --- corrective actions ---------------------------------------------------------------------------------------

@pytest.fixture
def submitted(office, auditor, manager, clerk):
    audit = started_audit(office=office, auditor=auditor)
    _answer_all(audit, auditor, fail=("posted-information",))
    answer = _answer(audit, "posted-information")
    audit_answer(audit=audit, item=answer.item, by=auditor, value="no", action_owner=clerk)
    return audit_submit(audit=audit, by=auditor)


def test_failed_items_raise_corrective_actions_in_the_owners_work(submitted, clerk):
    action = CorrectiveAction.objects.get(audit=submitted, requirement="S8.3")
    assert action.owner == clerk and action.state == "open"
    row = OpenWork.objects.get(kind="corrective_action", object_id=action.pk)
    assert row.owner_id == clerk.pk and row.due_at is not None
    assert SlaClock.objects.filter(object_id=action.pk, commitment__code="corrective_action").exists()


def test_corrective_actions_block_closure_until_verified(submitted, manager, auditor, clerk):
    audit_review(audit=submitted, by=manager)
    submitted.refresh_from_db()
    assert submitted.recheck_on is not None
    with pytest.raises(TransitionNotAllowed):
        audit_close(audit=submitted, by=manager)
    for action in CorrectiveAction.objects.filter(audit=submitted):
        action_complete(action=action, by=action.owner, note="已补齐公示内容")
        action_verify(action=action, by=auditor)
    audit_close(audit=submitted, by=manager)
    assert submitted.state == Audit.State.CLOSED
    assert not OpenWork.objects.filter(kind="corrective_action").exists()


def test_only_the_auditor_verifies_and_a_rejection_sends_it_back(submitted, auditor, manager, clerk):
    action = CorrectiveAction.objects.get(audit=submitted, requirement="S8.3")
    action_complete(action=action, by=clerk, note="done")
    with pytest.raises(PermissionDenied):
        action_verify(action=action, by=clerk)
    action_reject(action=action, by=auditor, note="价目表仍未更新")
    action.refresh_from_db()
    assert action.state == "open" and action.rejections == 1


def test_a_late_corrective_action_is_breached_and_escalated(submitted):
    action = CorrectiveAction.objects.get(audit=submitted, requirement="S8.3")
    clock = SlaClock.objects.get(object_id=action.pk, commitment__code="corrective_action")
    sla_sweep(now=clock.due_at + timedelta(minutes=1))
    assert SlaClock.objects.get(pk=clock.pk).state == SlaClock.State.BREACHED
    assert OpenWork.objects.get(kind="corrective_action", object_id=action.pk).breached


def test_a_recheck_is_linked_to_the_audit_it_rechecks(submitted, manager):
    audit_review(audit=submitted, by=manager)
    recheck = audit_plan_recheck(audit=submitted, by=manager)
    assert recheck.recheck_of == submitted and recheck.planned_for == submitted.recheck_on
    assert list(submitted.rechecks.all()) == [recheck]


# --- permissions per transition -------------------------------------------------------------------------------

def test_each_transition_needs_its_permission(office, auditor, clerk, manager):
    with pytest.raises(PermissionDenied):
        audit_plan(office=office, kind="routine", auditor=auditor, planned_for=timezone.localdate(), by=clerk)
    audit = plan_audit(office=office, auditor=auditor)
    with pytest.raises(PermissionDenied):
        audit_start(audit=audit, by=clerk)
    audit_start(audit=audit, by=auditor)
    _answer_all(audit, auditor)
    audit_submit(audit=audit, by=auditor)
    with pytest.raises(PermissionDenied):
        audit_review(audit=audit, by=auditor)
    with pytest.raises(PermissionDenied):
        audit_cancel(audit=audit, by=clerk, reason="x")


def test_cross_inspection_is_done_by_an_auditor_of_another_office(office, other_office, auditor, manager):
    with pytest.raises(ValidationError):
        audit_plan(office=office, kind="cross_inspection", auditor=auditor, planned_for=timezone.localdate(),
                   by=manager)
    visitor = UserFactory(username="visiting-auditor", office=other_office, roles=["auditor"])
    audit = audit_plan(office=office, kind="cross_inspection", auditor=visitor, planned_for=timezone.localdate(),
                       by=visitor)
    assert audit.template.kind == "cross_inspection"


def test_a_stale_copy_cannot_overwrite_a_step(office, auditor):
    from django_fsm import ConcurrentTransition

    audit = plan_audit(office=office, auditor=auditor)
    stale = Audit.objects.get(pk=audit.pk)
    audit_start(audit=audit, by=auditor)
    with pytest.raises((ConcurrentTransition, TransitionNotAllowed)):
        audit_cancel(audit=stale, by=auditor, reason="x")
