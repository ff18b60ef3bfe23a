"""Demo data of the complaints app (`manage.py seed_demo`; idempotent): per demo office a handful of complaints,
reports, suggestions and praise in different states, through the services (numbers, clocks, sealed identities,
history) — only when the office has none yet."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from supply_service.complaints import services
from supply_service.complaints.models import Complaint
from supply_service.complaints.seed import seed_reference
from supply_service.core.models import Office

ITEMS = [
    # kind, channel, category, summary, description, identity, walk to
    ("complaint", "counter", "service_attitude", "营业员态度生硬", "办理过户时营业员不耐烦，没有解释所需材料。",
     {"name": "周女士", "phone": "13800000001"}, "received"),
    ("complaint", "phone", "billing", "电费突然翻倍", "十一月电费是平时的两倍，怀疑电表有问题。",
     {"name": "吴先生", "phone": "13800000002"}, "investigating"),
    ("complaint", "mail", "supply_quality", "停电没有提前通知", "上周四小区停电四小时，没有看到任何通知。",
     {"name": "郑先生", "address": "天山路 12 号"}, "replied"),
    ("report", "web", "extra_fees", "装表收取额外费用", "装表人员要求另付 200 元“加急费”。", {}, "accepted"),
    ("suggestion", "kiosk", "suggestion", "增加周末营业窗口", "周六上午排队的人很多，建议多开一个窗口。", {}, "received"),
    ("praise", "web", "praise", "抢修及时", "昨晚抢修队半小时就到了，非常感谢。", {"name": "冯师傅"}, "received"),
]


def _walk(item: Complaint, to: str, handler, manager) -> None:
    steps = ["accepted", "investigating", "reply_drafted", "reply_approved", "replied"]
    if to not in steps:
        return
    for state in steps[: steps.index(to) + 1]:
        item = Complaint.objects.get(pk=item.pk)
        if state == "accepted":
            services.complaint_transition(complaint=item, action="accept", by=handler, category=item.category)
        elif state == "investigating":
            services.complaint_transition(complaint=item, action="assign", by=handler, handler=handler)
        elif state == "reply_drafted":
            services.complaint_draft(complaint=item, by=handler, finding="partly", root_cause="process",
                                     findings_note="停电通知只在小区门口张贴，未短信通知。",
                                     reply_text="经核实，停电通知未按规定短信告知，已整改，今后计划停电提前七天短信通知。")
        elif state == "reply_approved":
            services.complaint_transition(complaint=item, action="approve_reply", by=manager)
        else:
            services.complaint_transition(complaint=item, action="send_reply", by=handler, channel="letter")


@transaction.atomic
def seed_demo_complaints(*, options: dict | None = None, stdout=None) -> list:
    seed_reference()
    users = get_user_model().objects.filter(is_active=True)
    for office in Office.objects.order_by("code"):
        handler = users.filter(office=office, groups__name="complaint_handler").first()
        manager = users.filter(office=office, groups__name="manager").first()
        if handler is None or manager is None or Complaint.objects.filter(office=office).exists():
            continue
        now = timezone.now()
        for n, (kind, channel, category, summary, description, identity, to) in enumerate(ITEMS):
            item, _secret = services.complaint_create(
                by=handler, kind=kind, channel=channel, category=category, summary=summary, description=description,
                identity=identity, office=office, at=now - timedelta(days=len(ITEMS) - n))
            _walk(item, to, handler, manager)
    return []
