"""Public kiosk pages: no verification needed (S8.5, S9.5), content in the active language, office signage (S8.4)."""

import importlib
import re

import pytest
from django.apps import apps
from django.utils import translation

from supply_service.customers.models import EnergyTip, FeeItem, PaymentMethod, Procedure, Tariff, TariffItem
from supply_service.kiosk.i18n import bilingual, heading
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kiosk.urls_for_tests")]

PUBLIC = ["/kiosk/", "/kiosk/tariffs/", "/kiosk/procedures/", "/kiosk/payment-methods/", "/kiosk/energy-saving/",
          "/kiosk/outages/", "/kiosk/verify/"]
LANGS = ("zh_hans", "en", "ug", "bo")
content_migration = importlib.import_module("supply_service.customers.migrations.0004_kiosk_content_data")


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_need_no_verification_S8_5(client, reference_data, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b'id="kiosk-languages"' in response.content


def test_home_has_every_tile_and_the_languages_in_their_own_script(client, reference_data):
    html = client.get("/kiosk/").content.decode()
    for key in ("bills", "progress", "outages", "tariffs", "procedures", "payment_methods", "tips"):
        assert f'id="tile-{key}"' in html
    buttons = re.findall(r'id="kiosk-lang-([a-z-]+)"[^>]*>([^<]+)</button>', html)
    assert buttons == [("zh-hans", "中文"), ("en", "English"), ("ug", "ئۇيغۇرچە"), ("bo", "བོད་ཡིག")]
    assert 'action="/i18n/setlang/"' in html
    # Without a verified session the account tiles lead to the verification, with the section to open after it.
    assert 'href="/kiosk/verify/?section=bills"' in html and 'href="/kiosk/verify/?section=progress"' in html


def test_seeded_procedures_and_tips_are_complete_in_four_languages_S10_3_6():
    procedures = {p.code: p for p in Procedure.objects.select_related("commitment")}
    assert len(procedures) >= 6
    expected = {"residential_connection": "resident_connection", "nonresidential_connection": "nonresident_connection",
                "meter_fault": "meter_fault", "bill_query": "bill_query_reply"}
    for code, commitment in expected.items():
        assert procedures[code].commitment.code == commitment
    assert {"name_change", "peak_valley_tariff"} <= set(procedures)
    for procedure in procedures.values():
        for base in ("name", "documents", "steps"):
            assert all(getattr(procedure, f"{base}_{lang}").strip() for lang in LANGS), (procedure.code, base)
        assert re.search(r"[\u0600-\u06ff]", procedure.name_ug) and re.search(r"[\u0f00-\u0fff]", procedure.name_bo)
    tips = list(EnergyTip.objects.all())
    assert len(tips) >= 6
    for tip in tips:
        assert all(getattr(tip, f"{base}_{lang}").strip() for base in ("title", "body") for lang in LANGS)


def test_content_migration_is_idempotent_and_keeps_edits():
    Procedure.objects.filter(code="meter_fault").update(name_en="Meter trouble")
    before = (Procedure.objects.count(), EnergyTip.objects.count())
    content_migration.forwards(apps, None)
    assert (Procedure.objects.count(), EnergyTip.objects.count()) == before
    assert Procedure.objects.get(code="meter_fault").name_en == "Meter trouble"


@pytest.mark.req("S8.3", "S9.5")
def test_procedures_show_documents_steps_and_the_commitment_limit(client, reference_data):
    html = client.get("/kiosk/procedures/").content.decode()
    assert html.count('class="card procedure"') >= 6
    assert 'data-limit="resident_connection"' in html and "5 工作日" in html
    assert "户主有效身份证件" in html and "<ol class=\"steps\">" in html
    assert 'id="kiosk-commitments"' in html


def test_content_follows_the_active_language(client, reference_data):
    client.cookies["django_language"] = "ug"
    html = client.get("/kiosk/procedures/").content.decode()
    assert '<html lang="ug" dir="rtl">' in html
    assert Procedure.objects.get(code="meter_fault").name_ug in html
    client.cookies["django_language"] = "bo"
    html = client.get("/kiosk/energy-saving/").content.decode()
    assert EnergyTip.objects.order_by("position").first().title_bo in html


def test_at_least_three_payment_methods_S10_3_4(client, reference_data):
    html = client.get("/kiosk/payment-methods/").content.decode()
    assert html.count('class="card method"') >= 3
    assert PaymentMethod.objects.get(code="counter").name_zh_hans in html


@pytest.mark.req("S8.3", "S13.7")
def test_tariffs_with_price_items_and_fee_items_with_standard_and_basis(client, reference_data):
    tariff = Tariff.objects.create(code="res", category="residential", name_zh_hans="居民生活电价", name_en="Residential",
                                   legal_basis="发改价格〔2013〕2523号", effective_from="2026-01-01")
    TariffItem.objects.create(tariff=tariff, name_zh_hans="第一档", price="0.5283", position=1)
    TariffItem.objects.create(tariff=tariff, name_zh_hans="第二档", price="0.5783", position=2)
    FeeItem.objects.create(code="meter-test", name_zh_hans="电能表校验费", standard_zh_hans="单相表每只 10 元",
                           amount="10.00", legal_basis="《供电营业规则》第七十九条")
    html = client.get("/kiosk/tariffs/").content.decode()
    assert "居民生活电价" in html and "0.5283" in html and "0.5783" in html
    assert html.index("第一档") < html.index("第二档")
    assert "电能表校验费" in html and "单相表每只 10 元" in html and "《供电营业规则》第七十九条" in html
    client.cookies["django_language"] = "en"
    assert "Residential" in client.get("/kiosk/tariffs/").content.decode()


@pytest.mark.req("S9.5")
def test_current_outage_notices_are_listed(client, dispatcher, manager):
    from supply_service.outages.services import outage_publish

    area = TransformerAreaFactory(feeder=FeederFactory(office=dispatcher.office))
    CustomerFactory(office=dispatcher.office, transformer_area=area, feeder=area.feeder)
    notice = make_notice(dispatcher, kind="emergency", areas=[area])
    outage_publish(notice=notice, by=manager)
    html = client.get("/kiosk/outages/").content.decode()
    assert f'data-number="{notice.number}"' in html and "人民路一带" in html


def test_public_pages_read_few_queries(client, reference_data, django_assert_max_num_queries):
    for url in PUBLIC:
        with django_assert_max_num_queries(6):
            client.get(url)


# --- office terminals and signage (S8.4) ---------------------------------------------------------------------
def test_a_terminal_is_set_to_an_office_by_session_and_cookie(client, other_office):
    response = client.get(f"/kiosk/office/{other_office.code}/")
    assert response.status_code == 302 and response["Location"] == "/kiosk/"
    assert client.session["kiosk_office"] == other_office.pk
    cookie = response.cookies["kiosk_office"]
    assert cookie["max-age"] > 365 * 24 * 3600 and cookie["httponly"]
    html = client.get("/kiosk/").content.decode()
    assert f'data-office="{other_office.code}"' in html


def test_unknown_office_is_404(client, reference_data):
    assert client.get("/kiosk/office/nowhere/").status_code == 404


def test_the_office_survives_the_end_of_the_session_through_its_cookie(client, other_office):
    client.get(f"/kiosk/office/{other_office.code}/")
    client.post("/kiosk/finish/")
    assert "kiosk_office" not in client.session
    assert f'data-office="{other_office.code}"' in client.get("/kiosk/").content.decode()


def test_a_forged_office_cookie_is_ignored(client, other_office):
    client.cookies["kiosk_office"] = other_office.code  # not signed
    assert "data-office" not in client.get("/kiosk/").content.decode()


def test_signage_office_shows_chinese_and_uyghur_side_by_side_S8_4(client, other_office):
    client.get(f"/kiosk/office/{other_office.code}/")
    html = client.get("/kiosk/tariffs/").content.decode()
    title = re.search(r'<h1 class="kiosk-title" id="kiosk-title">(.*?)</h1>', html, re.S).group(1)
    zh, ug = bilingual("Tariffs and fees", "ug")
    assert f'<span lang="zh-hans" dir="ltr" class="h-main">{zh}</span>' in title
    assert f'<span lang="ug" dir="rtl" class="h-alt">{ug}</span>' in title
    # Tiles too.
    tile = re.search(r'id="tile-tips"(.*?)</a>', client.get("/kiosk/").content.decode(), re.S).group(1)
    assert 'lang="zh-hans"' in tile and 'lang="ug"' in tile


def test_without_signage_headings_are_in_one_language(client, office):
    client.get(f"/kiosk/office/{office.code}/")
    title = re.search(r'<h1 class="kiosk-title" id="kiosk-title">(.*?)</h1>',
                      client.get("/kiosk/tariffs/").content.decode(), re.S).group(1)
    assert title.count("<span") == 1


def test_heading_puts_the_active_language_first_then_chinese_and_the_signage_language():
    with translation.override("en"):
        parts = heading("Energy-saving tips", signage="bo")
    assert [(p.lang, p.primary) for p in parts] == [("en", True), ("zh-hans", False), ("bo", False)]
    with translation.override("ug"):
        parts = heading("Energy-saving tips", signage="ug")
    assert [(p.lang, p.rtl) for p in parts] == [("ug", True), ("zh-hans", False)]


def test_the_fonts_for_tibetan_and_uyghur_ship_with_their_licence():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "static"
    css = (root / "css" / "kiosk.css").read_text()
    urls = re.findall(r'url\("\.\./fonts/([^"]+)"\)', css)
    assert len(urls) == 4
    for name in urls:
        assert (root / "fonts" / name).stat().st_size > 50_000
    assert "unicode-range: U+0F00-0FFF" in css and "U+0600-06FF, U+FB50-FDFF, U+FE70-FEFF" in css
    assert "SIL OPEN FONT LICENSE Version 1.1" in (root / "fonts" / "OFL.txt").read_text()
    assert sum((root / "fonts" / name).stat().st_size for name in urls) < 2_000_000
