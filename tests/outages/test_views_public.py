"""Public outage pages (S10.2.10, S13.7): no login, every customer language, a phone-sized page, no 500 on odd input."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from supply_service.outages.models import OutageNotice
from supply_service.outages.services import outage_approve, outage_cancel, outage_operate, outage_publish
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.outages.urls_for_tests")]


@pytest.fixture
def grid(office):
    feeder = FeederFactory(office=office, code="10kV-101", name="人民线")
    area = TransformerAreaFactory(feeder=feeder, code="TA-101-01", name="人民路一号台区")
    CustomerFactory(office=office, transformer_area=area, feeder=feeder)
    return {"feeder": feeder, "area": area}


def fresh(notice):
    return OutageNotice.objects.get(pk=notice.pk)


def publish_planned(dispatcher, manager, **kw):
    n = make_notice(dispatcher, **kw)
    outage_approve(notice=n, by=manager)
    return outage_publish(notice=fresh(n), by=manager)


def bulk_public(office, user, count, *, start=None):
    """Many published notices at once (volume for the query counts), straight into the table."""
    start = start or timezone.now() + timedelta(days=10)
    now = timezone.now()
    OutageNotice.objects.bulk_create([
        OutageNotice(number=f"TD-20991231-{i:04d}", office=office, kind="planned", state="published",
                     area_zh_hans=f"第{i}街区", text_zh_hans="检修停电。", reason="检修",
                     planned_start=start + timedelta(hours=i), planned_end=start + timedelta(hours=i + 3),
                     created_by=user, published_at=now)
        for i in range(count)
    ])


def lang(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


@pytest.mark.req("S13.7")
def test_list_shows_current_and_upcoming_notices_without_login(client, dispatcher, manager, grid):
    published = publish_planned(dispatcher, manager, areas=[grid["area"]])
    draft = make_notice(dispatcher, areas=[grid["area"]], area_zh_hans="草稿路")
    cancelled = publish_planned(dispatcher, manager, areas=[grid["area"]], area_zh_hans="取消路")
    outage_cancel(notice=fresh(cancelled), by=dispatcher, reason="天气")
    response = client.get(reverse("public_outages:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-number="{published.number}"' in html and "人民路一带" in html
    assert draft.number not in html and "草稿路" not in html and "取消路" not in html
    assert reverse("public_outages:detail", args=[published.number]) in html
    start = timezone.localtime(published.planned_start)
    assert f'<time datetime="{start.isoformat()}">{start:%Y-%m-%d %H:%M}</time>' in html
    assert '<bdi dir="ltr" class="ot-span">' in html
    assert 'data-state="announced"' in html
    assert "css/outages.css" in html and 'type="date"' in html


def test_an_outage_in_progress_shows_power_off(client, dispatcher, crew, grid):
    n = make_notice(dispatcher, kind="emergency", areas=[grid["area"]], start=timezone.now() - timedelta(minutes=5))
    outage_publish(notice=n, by=dispatcher)
    outage_operate(notice=fresh(n), action="start", by=crew)
    html = lang(client, "en").get(reverse("public_outages:list")).content.decode()
    assert 'data-state="in_progress"' in html and "Power off" in html


def test_list_in_chinese_and_in_uyghur_right_to_left(client, dispatcher, manager, grid):
    publish_planned(dispatcher, manager, areas=[grid["area"]])
    html = lang(client, "zh-hans").get(reverse("public_outages:list")).content.decode()
    assert '<html lang="zh-hans" dir="ltr">' in html and "人民路一带" in html
    response = client.post(reverse("set_language"), {"language": "ug", "next": reverse("public_outages:list")},
                           follow=True)
    html = response.content.decode()
    assert '<html lang="ug" dir="rtl">' in html
    assert "رېنمىن يولى ئەتراپى" in html and "人民路一带" not in html
    with translation.override("ug"):
        assert str(OutageNotice.Kind.PLANNED.label) in html


def test_tibetan_falls_back_to_chinese_where_a_text_is_missing(client, dispatcher, manager, grid):
    publish_planned(dispatcher, manager, areas=[grid["area"]], area_bo="")
    html = lang(client, "bo").get(reverse("public_outages:list")).content.decode()
    assert '<html lang="bo" dir="ltr">' in html and "人民路一带" in html


def test_filter_by_area_and_day(client, dispatcher, manager, grid):
    n = publish_planned(dispatcher, manager, areas=[grid["area"]])
    day = timezone.localtime(n.planned_start).date()
    url = reverse("public_outages:list")
    assert n.number in client.get(url, {"area": "人民路"}).content.decode()
    assert n.number in lang(client, "ug").get(url, {"area": "رېنمىن"}).content.decode()
    html = client.get(url, {"area": "nowhere"}).content.decode()
    assert n.number not in html and 'id="outage-list-empty"' in html
    assert n.number in client.get(url, {"day": day.isoformat()}).content.decode()
    assert n.number not in client.get(url, {"day": (day - timedelta(days=1)).isoformat()}).content.decode()


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "tomorrow", "<script>", "2026/12/01", "9" * 40])
def test_a_bad_date_gives_a_message_not_an_error(client, dispatcher, manager, grid, bad):
    n = publish_planned(dispatcher, manager, areas=[grid["area"]])
    response = lang(client, "en").get(reverse("public_outages:list"), {"day": bad, "area": "人民"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_day_error"' in html and "Enter a date such as 2026-12-01." in html
    assert n.number in html  # the area filter still applies, the bad date is left out
    assert "<script>" not in html


def test_the_date_message_comes_in_the_users_language(client, dispatcher, manager, grid):
    from supply_service.outages.forms import BAD_DATE

    for code in ("zh-hans", "ug"):
        html = lang(client, code).get(reverse("public_outages:list"), {"day": "x"}).content.decode()
        with translation.override(code):
            assert str(BAD_DATE) in html


def test_too_long_area_and_odd_pages_are_harmless(client, dispatcher, manager, grid):
    publish_planned(dispatcher, manager, areas=[grid["area"]])
    url = reverse("public_outages:list")
    for params in [{"area": "x" * 500}, {"page": "abc"}, {"page": "99999"}, {"page": "-1"}, {"area": "%'\";--"}]:
        assert client.get(url, params).status_code == 200


def test_list_is_paginated_and_keeps_the_filter(client, dispatcher, office):
    bulk_public(office, dispatcher, 25)
    url = reverse("public_outages:list")
    first = client.get(url, {"area": "街区"}).content.decode()
    assert first.count('class="ot-card ') == 20
    assert "?area=%E8%A1%97%E5%8C%BA&amp;page=2" in first
    second = client.get(url, {"area": "街区", "page": 2}).content.decode()
    assert second.count('class="ot-card ') == 5


@pytest.mark.parametrize("count", [5, 60])
def test_list_reads_a_constant_number_of_queries(client, dispatcher, office, count, django_assert_max_num_queries):
    bulk_public(office, dispatcher, count)
    # the notices, their offices, and the configured advance-notice limit shown in the intro
    with django_assert_max_num_queries(3):
        assert client.get(reverse("public_outages:list")).status_code == 200


def test_detail_shows_kind_area_times_lines_reason_text_and_the_calendar_link(client, dispatcher, manager, grid):
    n = publish_planned(dispatcher, manager, areas=[grid["area"]], feeders=[grid["feeder"]])
    html = client.get(reverse("public_outages:detail", args=[n.number])).content.decode()
    assert "人民路一带" in html and "因线路检修停电。" in html and "10kV 线路检修" in html
    assert "人民线" in html and "人民路一号台区" in html
    assert reverse("public_outages:ics", args=[n.number]) in html
    assert 'id="outage-explanation"' not in html
    assert '<time datetime="' in html and 'dir="ltr"' in html


def test_detail_in_uyghur(client, dispatcher, manager, grid):
    n = publish_planned(dispatcher, manager, areas=[grid["area"]])
    html = lang(client, "ug").get(reverse("public_outages:detail", args=[n.number])).content.decode()
    assert 'dir="rtl"' in html and "لىنىيە رېمونتى سەۋەبىدىن توك توختىتىلىدۇ." in html


def test_emergency_detail_explains_S10_2_10(client, dispatcher, grid):
    n = make_notice(dispatcher, kind="emergency", areas=[grid["area"]], start=timezone.now(),
                    explanation="线路遭雷击跳闸，正在抢修。")
    outage_publish(notice=n, by=dispatcher)
    html = client.get(reverse("public_outages:detail", args=[n.number])).content.decode()
    assert 'id="outage-explanation"' in html and "线路遭雷击跳闸，正在抢修。" in html


def test_detail_is_404_for_drafts_approved_cancelled_and_unknown(client, dispatcher, manager, grid):
    draft = make_notice(dispatcher, areas=[grid["area"]])
    approved = make_notice(dispatcher, areas=[grid["area"]])
    outage_approve(notice=approved, by=manager)
    cancelled = publish_planned(dispatcher, manager, areas=[grid["area"]])
    outage_cancel(notice=fresh(cancelled), by=dispatcher, reason="天气")
    for number in [draft.number, approved.number, cancelled.number, "TD-20990101-9999"]:
        assert client.get(reverse("public_outages:detail", args=[number])).status_code == 404
        assert client.get(reverse("public_outages:ics", args=[number])).status_code == 404


def test_a_finished_outage_stays_readable(client, dispatcher, crew, grid):
    n = make_notice(dispatcher, kind="emergency", areas=[grid["area"]], start=timezone.now())
    outage_publish(notice=n, by=dispatcher)
    for action in ("start", "remove_cause", "restore", "close"):
        outage_operate(notice=fresh(n), action=action, by=crew)
    assert client.get(reverse("public_outages:detail", args=[n.number])).status_code == 200
    assert n.number not in client.get(reverse("public_outages:list")).content.decode()


def test_public_pages_fit_a_phone(client, dispatcher, manager, grid):
    n = publish_planned(dispatcher, manager, areas=[grid["area"]])
    for url in [reverse("public_outages:list"), reverse("public_outages:detail", args=[n.number])]:
        html = client.get(url).content.decode()
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
        assert "<table" not in html  # cards, not wide tables


def test_public_answers_vary_by_the_language_cookie(client, reference_data):
    for url in (reverse("public_outages:list"), reverse("public_outages:feed"), reverse("public_outages:upcoming_ics")):
        vary = client.get(url)["Vary"]
        assert "Cookie" in vary and "Accept-Language" in vary, url


@pytest.mark.parametrize("path", ["nothing/", "TD%00x/", "TD-20261127-0001%00/", "..%2F..%2Fetc/", "TD%00x.ics",
                                  "td-20261127-0001/", "TD-20261127-0001/x/"])
def test_odd_paths_are_404_never_500(client, reference_data, path):
    assert client.get(f"/public/outages/{path}").status_code == 404


@pytest.mark.parametrize("params", [{"area": "\x00"}, {"day": "\x00"}, {"area": "路\x00段", "day": "2026-12-01"}])
def test_nul_bytes_in_the_filter_are_refused_politely(client, reference_data, params):
    response = client.get(reverse("public_outages:list"), params)
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
