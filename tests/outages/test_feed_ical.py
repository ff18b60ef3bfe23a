"""iCalendar files (RFC 5545), validated by parsing them back with a small unfolding parser of our own."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from supply_service.outages import ical
from supply_service.outages.models import OutageNotice
from supply_service.outages.services import outage_approve, outage_publish, outage_reschedule
from tests.factories.customers import FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.outages.urls_for_tests")]


# --- a small parser ---------------------------------------------------------------------------------------------

def physical_lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    lines = body[:-2].split(b"\r\n")
    assert not any(b"\n" in line or b"\r" in line for line in lines), "bare LF or CR inside a line"
    return lines


def unfold(body: bytes) -> list[str]:
    """RFC 5545 3.1: a line starting with one space (or tab) continues the previous one. Each physical line must
    be valid UTF-8 on its own (no character split by the folding)."""
    logical: list[str] = []
    for raw in physical_lines(body):
        text = raw.decode("utf-8")
        if text[:1] in (" ", "\t"):
            logical[-1] += text[1:]
        else:
            logical.append(text)
    return logical


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append({"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1]))
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def parse(body: bytes) -> dict:
    """{"calendar": {name: value}, "events": [{name: value}]} (first value of each property)."""
    calendar: dict[str, str] = {}
    events: list[dict[str, str]] = []
    stack: list[str] = []
    for line in unfold(body):
        name, _, value = line.partition(":")
        name = name.split(";")[0].upper()
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack == ["VCALENDAR"]:
            calendar.setdefault(name, value)
        elif stack == ["VCALENDAR", "VEVENT"]:
            events[-1].setdefault(name, value)
    assert stack == []
    return {"calendar": calendar, "events": events}


def utc(value: str) -> datetime:
    assert value.endswith("Z")
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


# --- fixtures ---------------------------------------------------------------------------------------------------

@pytest.fixture
def area(office):
    return TransformerAreaFactory(feeder=FeederFactory(office=office, code="10kV-101"), code="TA-101-01")


def fresh(notice):
    return OutageNotice.objects.get(pk=notice.pk)


def publish_planned(dispatcher, manager, **kw):
    n = make_notice(dispatcher, **kw)
    outage_approve(notice=n, by=manager)
    return outage_publish(notice=fresh(n), by=manager)


def get_ics(client, url, language=None, **params):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


# --- the files --------------------------------------------------------------------------------------------------

def test_one_notice_is_one_vevent(client, dispatcher, manager, area):
    n = fresh(publish_planned(dispatcher, manager, areas=[area]))
    body = get_ics(client, reverse("public_outages:ics", args=[n.number]))
    assert all(len(line) <= 75 for line in physical_lines(body))
    parsed = parse(body)
    assert parsed["calendar"]["VERSION"] == "2.0" and parsed["calendar"]["PRODID"]
    [event] = parsed["events"]
    assert event["UID"] == f"{n.number}@supply-service"
    assert event["SEQUENCE"] == "1"
    assert utc(event["DTSTART"]) == n.planned_start.replace(microsecond=0)
    assert utc(event["DTEND"]) == n.planned_end.replace(microsecond=0)
    assert utc(event["DTSTAMP"]) <= timezone.now()
    assert unescape(event["LOCATION"]) == "人民路一带"
    assert "人民路一带" in unescape(event["SUMMARY"])
    description = unescape(event["DESCRIPTION"])
    assert "因线路检修停电。" in description and "10kV 线路检修" in description
    assert event["URL"] == f"http://testserver{reverse('public_outages:detail', args=[n.number])}"


def test_a_rescheduled_notice_has_sequence_2_and_the_same_uid(client, dispatcher, manager, area):
    n = publish_planned(dispatcher, manager, areas=[area])
    url = reverse("public_outages:ics", args=[n.number])
    [before] = parse(get_ics(client, url))["events"]
    start = (fresh(n).planned_start + timedelta(days=2)).replace(microsecond=0)
    outage_reschedule(notice=fresh(n), by=dispatcher, start=start, end=start + timedelta(hours=5))
    [after] = parse(get_ics(client, url))["events"]
    assert after["SEQUENCE"] == "2" and after["UID"] == before["UID"]
    assert utc(after["DTSTART"]) == start and utc(after["DTEND"]) == start + timedelta(hours=5)
    assert utc(after["LAST-MODIFIED"]) >= utc(before["LAST-MODIFIED"])


def test_upcoming_calendar_holds_every_public_notice(client, dispatcher, manager, area):
    published = [publish_planned(dispatcher, manager, areas=[area], start=timezone.now() + timedelta(days=d))
                 for d in (9, 10, 11)]
    draft = make_notice(dispatcher, areas=[area])
    body = get_ics(client, reverse("public_outages:upcoming_ics"))
    parsed = parse(body)
    uids = [event["UID"] for event in parsed["events"]]
    assert uids == [f"{n.number}@supply-service" for n in published]
    assert f"{draft.number}@supply-service" not in uids
    assert parsed["calendar"]["X-WR-CALNAME"]
    assert parsed["calendar"]["REFRESH-INTERVAL"] == "PT1H"


def test_an_empty_calendar_still_has_a_component(client, reference_data):
    parsed = parse(get_ics(client, reverse("public_outages:upcoming_ics")))
    assert parsed["events"] == []
    assert b"BEGIN:VTIMEZONE" in get_ics(client, reverse("public_outages:upcoming_ics"))


def test_texts_come_in_the_requests_language(client, dispatcher, manager, area):
    n = publish_planned(dispatcher, manager, areas=[area])
    [event] = parse(get_ics(client, reverse("public_outages:ics", args=[n.number]), "ug"))["events"]
    assert unescape(event["LOCATION"]) == "رېنمىن يولى ئەتراپى"
    client.cookies.clear()
    [event] = parse(get_ics(client, reverse("public_outages:ics", args=[n.number]), lang="bo"))["events"]
    assert unescape(event["LOCATION"]) == "མི་དམངས་ལམ་གྱི་ཁུལ།"


@pytest.mark.parametrize("language, field", [("zh-hans", "text_zh_hans"), ("ug", "text_ug")])
def test_long_descriptions_are_folded_at_75_octets_and_unfold_to_the_same_text(client, dispatcher, manager, area,
                                                                                language, field):
    long_text = {
        "text_zh_hans": ("因10kV人民线检修，下列区域停电：人民路1号至99号；"
                         "解放路、胜利路，以及\\新区。\n请提前做好准备。") * 6,
        "text_ug": "10kV خەلق لىنىيەسىنى رېمونت قىلىش سەۋەبىدىن، تۆۋەندىكى رايونلاردا توك توختىتىلىدۇ; "
                   "رېنمىن يولى, ئازادلىق يولى.\nتەييارلىق قىلىڭ. " * 6,
    }[field]
    n = publish_planned(dispatcher, manager, areas=[area], **{field: long_text})
    body = get_ics(client, reverse("public_outages:ics", args=[n.number]), language)
    lines = physical_lines(body)
    assert max(len(line) for line in lines) <= 75
    assert sum(1 for line in lines if line.startswith(b" ")) > 5  # it was folded
    [event] = parse(body)["events"]
    assert unescape(event["DESCRIPTION"]).startswith(long_text.replace("\r\n", "\n"))


# --- the writer's parts -----------------------------------------------------------------------------------------

def test_escape_text():
    assert ical.escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    assert unescape(ical.escape_text("路,段;\\x\n")) == "路,段;\\x\n"


@pytest.mark.parametrize("text", ["x" * 200, "停电" * 80, "ئا" * 90, "བོད་" * 60, "a停ئ😀" * 40, "short"])
def test_fold_never_splits_a_character(text):
    folded = ical.fold(f"DESCRIPTION:{text}").encode("utf-8")
    lines = folded.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert all(line.startswith(b" ") for line in lines[1:])
    assert "".join(line.decode("utf-8")[1 if i else 0:] for i, line in enumerate(lines)) == f"DESCRIPTION:{text}"


def test_times_are_utc():
    shanghai = timezone.make_aware(datetime(2026, 12, 20, 9, 0), timezone.get_default_timezone())
    assert ical.utc_stamp(shanghai) == "20261220T010000Z"
