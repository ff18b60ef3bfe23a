"""Demo data of the audits app (`manage.py seed_demo`; idempotent): for the first demo office, today's duty roster
(the English speaker and the sign-language server of the demo users), forums, a supervisor and a visit, a leader
reception day, survey results for this year and last, a submitted demonstration-window audit with its corrective
actions, and a planned mystery-shopper visit. Runs through the services, as staff would."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from supply_service.audits.models import (
    AnswerType,
    Audit,
    DutyShift,
    EngagementRecord,
    ServiceSupervisor,
    SurveyResult,
)
from supply_service.audits.seed import seed_reference
from supply_service.audits.services import audit_answer, audit_plan, audit_start, audit_submit
from supply_service.core.models import Office, User

FAILING = {"posted-information": "电价表未按最新文件更新", "areas": "老花镜缺失，填写范本过期"}


def _roster(office, today) -> None:
    start = timezone.make_aware(datetime.combine(today, time(8, 30)))
    for user in User.objects.filter(office=office, is_active=True, languages_served__isnull=False).distinct():
        DutyShift.objects.get_or_create(office=office, staff=user, starts_at=start,
                                        defaults={"ends_at": start + timedelta(hours=9)})


def _records(office, manager, today) -> None:
    supervisor, _ = ServiceSupervisor.objects.get_or_create(
        office=office, name="王建华", defaults={"organisation": "市人大代表", "phone": "13900000001",
                                              "appointed_on": today.replace(month=1, day=1)})
    rows = [("forum", 20, "第一季度客户座谈会", "居民代表 12 人", "建议延长周末营业时间", "周六延长至 18:00"),
            ("forum", 100, "企业客户座谈会", "企业用电负责人 8 人", "报装流程说明", "编制报装指南"),
            ("supervisor_visit", 60, "行风监督员走访", "王建华", "等候区座椅不足", "已增加座椅 6 个"),
            ("reception_day", 45, "主任接待日", "主任、客户 5 人", "电费疑问 3 件，现场答复", "")]
    for kind, days_ago, title, people, minutes, follow_up in rows:
        day = today - timedelta(days=days_ago)
        if day.year != today.year:
            day = today.replace(month=1, day=2)
        EngagementRecord.objects.get_or_create(
            office=office, kind=kind, title=title,
            defaults={"held_on": day, "participants": people, "minutes": minutes, "follow_up": follow_up,
                      "recorded_by": manager, "supervisor": supervisor if kind == "supervisor_visit" else None})
    for year, satisfaction in ((today.year - 1, 91.2), (today.year, 93.6)):
        SurveyResult.objects.get_or_create(office=office, period=f"{year}-H1", surveyor="第三方调查中心",
                                           defaults={"year": year, "respondents": 400, "satisfaction": satisfaction,
                                                     "imported_by": manager})


def _audit(office, auditor, today) -> None:
    audit = audit_plan(office=office, kind="routine", auditor=auditor, planned_for=today, by=auditor)
    audit_start(audit=audit, by=auditor)
    for item in audit.template.items.exclude(answer_type=AnswerType.COMPUTED):
        failing = FAILING.get(item.key)
        if item.answer_type == AnswerType.SCORE:
            audit_answer(audit=audit, item=item, by=auditor, value="score",
                         score=item.pass_score - 1 if failing else item.max_score, note=failing or "")
        elif item.answer_type == AnswerType.NUMBER:
            audit_answer(audit=audit, item=item, by=auditor, value="number", number=item.target)
        else:
            audit_answer(audit=audit, item=item, by=auditor, value="no" if failing else "yes", note=failing or "")
    audit_submit(audit=audit, by=auditor)
    audit_plan(office=office, kind="mystery_shopper", auditor=auditor, planned_for=today + timedelta(days=14),
               by=auditor)


@transaction.atomic
def seed_demo_audits(*, options: dict | None = None, stdout=None) -> None:
    seed_reference()
    office = Office.objects.order_by("pk").first()
    auditor = User.objects.filter(username="auditor").first()
    manager = User.objects.filter(username="manager").first()
    if office is None or auditor is None or manager is None:
        return
    today = timezone.localdate()
    _roster(office, today)
    _records(office, manager, today)
    if not Audit.objects.filter(office=office).exists():
        _audit(office, auditor, today)
    if stdout is not None:
        stdout.write("audits: roster, engagement records, surveys, one submitted audit, one planned visit")
