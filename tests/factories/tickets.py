"""Tickets are made through the service (numbers, first responder, clocks) — the way the app makes them."""

from supply_service.tickets.models import BillQuery, BusinessExpansion, Consultation, MeterFaultTicket, RepairTicket
from supply_service.tickets.services import ticket_create


def repair(by, **kw):
    kw.setdefault("channel", "phone")
    kw.setdefault("request", "家里停电了")
    kw.setdefault("fault_address", "人民路 12 号")
    return ticket_create(model=RepairTicket, by=by, **kw)


def expansion(by, applicant_class="lv_residential", **kw):
    kw.setdefault("channel", "counter")
    kw.setdefault("request", "新装用电")
    kw.setdefault("business_type", "new_connection")
    kw.setdefault("site_address", "人民路 12 号")
    return ticket_create(model=BusinessExpansion, by=by, applicant_class=applicant_class, **kw)


def meter_fault(by, **kw):
    kw.setdefault("channel", "counter")
    kw.setdefault("request", "电表不走字")
    return ticket_create(model=MeterFaultTicket, by=by, **kw)


def bill_query(by, **kw):
    kw.setdefault("channel", "mail")
    kw.setdefault("request", "十月电费偏高，请书面答复")
    return ticket_create(model=BillQuery, by=by, **kw)


def consultation(by, **kw):
    kw.setdefault("channel", "counter")
    kw.setdefault("request", "峰谷电价怎么申请？")
    return ticket_create(model=Consultation, by=by, **kw)
