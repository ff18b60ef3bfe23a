from datetime import timedelta

from django.utils import timezone

from supply_service.outages.services import outage_create

TEXTS = {
    "area_zh_hans": "人民路一带", "area_en": "around Renmin Road", "area_ug": "رېنمىن يولى ئەتراپى",
    "area_bo": "མི་དམངས་ལམ་གྱི་ཁུལ།",
    "text_zh_hans": "因线路检修停电。", "text_en": "Power off for line maintenance.",
    "text_ug": "لىنىيە رېمونتى سەۋەبىدىن توك توختىتىلىدۇ.", "text_bo": "གློག་ལམ་ཞིག་གསོའི་རྒྱུ་མཚན་གྱིས་གློག་བཅད།",
}


def notice(by, *, kind="planned", start=None, hours=4, feeders=(), areas=(), **kw):
    start = start or timezone.now() + timedelta(days=10)
    data = {**TEXTS, **kw}
    return outage_create(by=by, kind=kind, planned_start=start, planned_end=start + timedelta(hours=hours),
                         reason=data.pop("reason", "10kV 线路检修"), feeders=feeders, areas=areas, **data)
