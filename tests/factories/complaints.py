"""Complaints are made through the service (numbers, first responder, clocks, sealed identity) — the app's way."""

from supply_service.complaints import services
from supply_service.complaints.models import Complaint

IDENTITY = {"name": "李秘密", "phone": "13900001111", "address": "幸福路 8 号 3 单元", "id_number": "650102199001011234",
            "email": "li.secret@example.cn"}


def complaint(by, *, kind="complaint", identity=None, **kw) -> Complaint:
    kw.setdefault("channel", "counter")
    kw.setdefault("summary", "营业员态度差")
    kw.setdefault("description", "窗口营业员不耐烦，拒绝解释电费构成。")
    item, _secret = services.complaint_create(by=by, kind=kind, identity=IDENTITY if identity is None else identity,
                                              **kw)
    return item


def report(by, **kw) -> Complaint:
    kw.setdefault("summary", "抄表员收取额外费用")
    kw.setdefault("description", "抄表员上门要求另付 50 元才给换表。")
    kw.setdefault("category", "extra_fees")
    return complaint(by, kind="report", **kw)


def walk(item: Complaint, *, handler, approver, to="replied") -> Complaint:
    """Take an item along the happy path up to the state `to` (accepted, investigating, reply_drafted,
    reply_approved, replied)."""
    order = ["accepted", "investigating", "reply_drafted", "reply_approved", "replied"]
    for state in order[: order.index(to) + 1]:
        if state == "accepted":
            services.complaint_transition(complaint=item, action="accept", by=handler,
                                          category=item.category if item.category != "other" else "service_attitude"
                                          if item.kind == "complaint" else item.category)
        elif state == "investigating":
            services.complaint_transition(complaint=item, action="assign", by=handler, handler=handler)
        elif state == "reply_drafted":
            services.complaint_draft(complaint=item, by=handler, finding="substantiated", root_cause="staff_conduct",
                                     findings_note="属实", reply_text="经调查属实，已对相关人员批评教育。")
        elif state == "reply_approved":
            services.complaint_transition(complaint=item, action="approve_reply", by=approver)
        else:
            services.complaint_transition(complaint=item, action="send_reply", by=handler, channel="phone")
    return item
