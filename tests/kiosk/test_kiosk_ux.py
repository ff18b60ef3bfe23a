"""Issue 11, "things a demanding user noticed" at the kiosk: a bound terminal opens in the office's languages, tile
captions in both, finished applications stay visible (with their dates) for `kiosk_finished_days`, tables that
stay readable on a phone, and the `make run` banner naming the same bilingual office as the README."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from supply_service.core.demo import OFFICES
from supply_service.core.models import Policy
from supply_service.tickets.services import ticket_cancel
from tests.factories import tickets as make_ticket
from tests.factories.core import OfficeFactory
from tests.kiosk.conftest import verify

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.kiosk.urls_for_tests")]
ROOT = Path(__file__).resolve().parents[2]


def bind(client, code="tianshan", signage="ug"):
    OfficeFactory(code=code, name="天山路供电营业厅", signage_language=signage)
    assert client.get(f"/kiosk/office/{code}/").status_code == 302


def test_a_bound_terminal_opens_in_chinese_and_its_signage_language_not_the_browsers_S8_4(client, reference_data):
    bind(client)
    html = client.get("/kiosk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans"' in html
    tile = re.search(r'id="tile-bills".*?</a>', html, re.S).group(0)
    # Both languages of the terminal in the caption and in the note, side by side; not the browser's English.
    assert 'lang="zh-hans"' in tile and 'lang="ug"' in tile and 'lang="en"' not in tile
    assert re.search(r'class="tile-note">.*lang="ug"', tile, re.S)


def test_a_language_the_customer_picks_wins_on_a_bound_terminal(client, reference_data):
    bind(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bo"
    assert '<html lang="bo"' in client.get("/kiosk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_an_unbound_kiosk_follows_the_browser(client, reference_data):
    assert '<html lang="en"' in client.get("/kiosk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_language_buttons_are_named_in_the_active_language(client, reference_data):
    html = client.get("/kiosk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="kiosk-lang-zh-hans-name">Simplified Chinese<' in html
    assert 'aria-labelledby="kiosk-lang-label kiosk-lang-zh-hans kiosk-lang-zh-hans-name"' in html


def test_finished_applications_stay_visible_with_their_dates_for_the_policy_days_S9_5(client, customer, clerk,
                                                                                       manager):
    Policy.objects.filter(code="kiosk_finished_days").update(value=30)
    now = timezone.now()
    recent = make_ticket.expansion(clerk, customer=customer)
    ticket_cancel(ticket=recent, by=manager, at=now - timedelta(days=29), reason="客户撤回")
    old = make_ticket.expansion(clerk, customer=customer)
    ticket_cancel(ticket=old, by=manager, at=now - timedelta(days=31), reason="客户撤回")
    verify(client)
    html = client.get("/kiosk/account/").content.decode()
    assert f'data-number="{recent.number}"' in html and f'data-number="{old.number}"' not in html
    article = re.search(rf'data-number="{recent.number}".*?</article>', html, re.S).group(0)
    assert "data-finished=" in article and 'class="finished-at"' in article
    Policy.objects.filter(code="kiosk_finished_days").update(value=7)
    assert f'data-number="{recent.number}"' not in client.get("/kiosk/account/").content.decode()


def test_kiosk_tables_are_focusable_labelled_regions_with_labelled_cells(client, customer):
    from supply_service.customers.models import FeeItem
    from tests.kiosk.conftest import add_bills

    FeeItem.objects.create(code="ux-fee", name_zh_hans="校验费", name_en="Meter test fee", legal_basis="发改价格")
    add_bills(customer, 2)
    verify(client)
    html = client.get("/kiosk/account/").content.decode()
    assert '<div class="table-scroll stack" tabindex="0" role="region" aria-labelledby="kiosk-bills-h">' in html
    bills = re.search(r'id="kiosk-bills">(.*?)</table>', html, re.S).group(1)
    assert bills.count("<td ") == bills.count('data-label="') == 10
    tariffs = client.get("/kiosk/tariffs/").content.decode()
    assert 'role="region" aria-labelledby="kiosk-fees-h"' in tariffs


def test_make_run_banner_and_readme_name_the_same_bilingual_office():
    banner = re.search(r"/kiosk/office/([\w-]+)/", (ROOT / "Makefile").read_text()).group(1)
    readme = re.search(r"/kiosk/office/([\w-]+)/` to see Chinese and Uyghur", (ROOT / "README.md").read_text()).group(1)
    office = next(spec for spec in OFFICES if spec["code"] == banner)
    assert banner == readme and office["signage_language"] == "ug"
