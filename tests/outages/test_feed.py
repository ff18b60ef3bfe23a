"""The public Atom feed, validated by parsing it back (S13.7)."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from supply_service.outages.models import OutageNotice
from supply_service.outages.services import outage_approve, outage_publish, outage_reschedule
from tests.factories.customers import FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.outages.urls_for_tests")]
A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def area(office):
    return TransformerAreaFactory(feeder=FeederFactory(office=office, code="10kV-101"), code="TA-101-01")


def fresh(notice):
    return OutageNotice.objects.get(pk=notice.pk)


def publish_planned(dispatcher, manager, **kw):
    n = make_notice(dispatcher, **kw)
    outage_approve(notice=n, by=manager)
    return outage_publish(notice=fresh(n), by=manager)


def feed(client, language=None, **params):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("public_outages:feed"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(root) -> dict[str, ET.Element]:
    return {entry.findtext(f"{A}id"): entry for entry in root.findall(f"{A}entry")}


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_one_entry_per_public_notice_with_unique_ids(client, dispatcher, manager, area):
    first = publish_planned(dispatcher, manager, areas=[area])
    second = publish_planned(dispatcher, manager, areas=[area], area_zh_hans="解放路一带",
                             start=timezone.now() + timedelta(days=12))
    make_notice(dispatcher, areas=[area], area_zh_hans="草稿路")  # a draft is not public
    root = feed(client)
    assert root.tag == f"{A}feed"
    assert root.findtext(f"{A}title") and root.findtext(f"{A}id") and root.findtext(f"{A}updated")
    assert root.find(f"{A}author/{A}name").text
    found = entries(root)
    assert len(found) == 2 == len(root.findall(f"{A}entry"))
    ids = {f"tag:supply-service,2026:outage:{n.number}": n for n in (first, second)}
    assert set(found) == set(ids)
    for entry_id, entry in found.items():
        notice = ids[entry_id]
        link = entry.find(f"{A}link").get("href")
        assert link == f"http://testserver{reverse('public_outages:detail', args=[notice.number])}"
        assert parse_time(entry.findtext(f"{A}published")) == fresh(notice).published_at
        assert parse_time(entry.findtext(f"{A}updated")) == notice.history.latest("history_date").history_date
        assert entry.find(f"{A}summary").get("type") == "html"
    titles = " ".join(entry.findtext(f"{A}title") for entry in found.values())
    assert "人民路一带" in titles and "解放路一带" in titles and "草稿路" not in titles


def test_titles_and_descriptions_come_in_the_requests_language(client, dispatcher, manager, area):
    n = publish_planned(dispatcher, manager, areas=[area])
    zh = entries(feed(client, "zh-hans"))[f"tag:supply-service,2026:outage:{n.number}"]
    assert "人民路一带" in zh.findtext(f"{A}title") and "因线路检修停电。" in zh.findtext(f"{A}summary")
    root = feed(client, "ug")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ug"
    ug = entries(root)[f"tag:supply-service,2026:outage:{n.number}"]
    assert "رېنمىن يولى ئەتراپى" in ug.findtext(f"{A}title")
    assert "لىنىيە رېمونتى سەۋەبىدىن توك توختىتىلىدۇ." in ug.findtext(f"{A}summary")
    with translation.override("ug"):
        assert ug.findtext(f"{A}title").startswith(str(OutageNotice.Kind.PLANNED.label))


def test_lang_parameter_for_feed_readers_without_the_cookie(client, dispatcher, manager, area):
    publish_planned(dispatcher, manager, areas=[area])
    client.cookies.clear()
    response = client.get(reverse("public_outages:feed"), {"lang": "ug"})
    assert response["Content-Language"] == "ug"
    assert "رېنمىن يولى ئەتراپى" in response.content.decode()
    assert client.get(reverse("public_outages:feed"), {"lang": "xx"}).status_code == 200


def test_a_rescheduled_notice_keeps_its_id_and_is_updated(client, dispatcher, manager, area):
    n = publish_planned(dispatcher, manager, areas=[area])
    before = entries(feed(client))[f"tag:supply-service,2026:outage:{n.number}"]
    start = fresh(n).planned_start + timedelta(days=1)
    outage_reschedule(notice=fresh(n), by=dispatcher, start=start, end=start + timedelta(hours=2))
    after = entries(feed(client))[f"tag:supply-service,2026:outage:{n.number}"]
    assert parse_time(after.findtext(f"{A}updated")) > parse_time(before.findtext(f"{A}updated"))
    assert after.findtext(f"{A}published") == before.findtext(f"{A}published")
    assert timezone.localtime(start).strftime("%Y-%m-%d %H:%M") in after.findtext(f"{A}title")


def test_an_empty_feed_is_still_valid(client, reference_data):
    root = feed(client)
    assert root.findall(f"{A}entry") == [] and root.findtext(f"{A}updated")


def test_feed_reads_one_query(client, dispatcher, manager, area, django_assert_max_num_queries):
    for days in (10, 11, 12):
        publish_planned(dispatcher, manager, areas=[area], start=timezone.now() + timedelta(days=days))
    with django_assert_max_num_queries(1):
        feed(client)
