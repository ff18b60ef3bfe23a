"""An audit in Debian chromium on a phone-size screen (issue 17): the auditor answers an item, attaches a photo and
fails it, submits; the corrective action appears in the owner's work; the manager sees the verdict. Elements are
found by id, name and data attributes."""

import re
from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image

from supply_service.audits.models import Answer, CorrectiveAction, Evidence
from tests.browser.test_tickets_browser import assert_accessible
from tests.factories.audits import answer_all as _answer_all
from tests.factories.audits import plan_audit
from tests.factories.core import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
KEY = "posted-information"


def log_in(page, live_server, user, path):
    page.goto(f"{live_server.url}{path}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


def jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (1200, 900), (180, 40, 40)).save(out, format="JPEG")
    return out.getvalue()


def test_auditor_fails_an_item_with_a_photo_on_a_phone_and_the_owner_gets_the_action(
        browser, live_server, office, auditor, clerk, manager, artifacts):
    audit = plan_audit(office=office, auditor=auditor)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, auditor, f"/audits/{audit.number}/")
    with page.expect_navigation():
        page.locator("#audit-steps form[data-action='start'] button").click()
    assert re.search(r"/conduct/$", page.url)
    audit.refresh_from_db()
    _answer_all(audit, auditor)  # every other item answered already; the phone answers the one that fails

    page.reload()
    card = page.locator(f"section.au-item[data-key='{KEY}']")
    card.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling"
    card.locator("input[name='value'][value='no']").check()
    card.locator("textarea[name='note']").fill("价目表未更新")
    card.locator("input[name='photo']").set_input_files(
        files=[{"name": "wall.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    card.locator("select[name='action_owner']").select_option(str(clerk.pk))
    with page.expect_navigation():
        card.locator("button.au-save").click()
    card = page.locator(f"section.au-item[data-key='{KEY}']")
    assert card.locator("[data-result='failed']").count() == 1
    assert card.locator("img.au-thumb").count() == 1
    assert_accessible(page, "conduct")
    page.screenshot(path=str(artifacts / "audits-conduct-phone.png"))
    answer = Answer.objects.get(audit=audit, item__key=KEY)
    assert answer.result == "failed" and Evidence.objects.filter(answer=answer).count() == 1

    page.locator("#back-to-audit").click()
    page.wait_for_url(re.compile(rf".*/audits/{audit.number}/$"))
    with page.expect_navigation():
        page.locator("#audit-steps form[data-action='submit'] button").click()
    assert page.locator("#audit-head").get_attribute("data-state") == "submitted"
    action = CorrectiveAction.objects.get(audit=audit, requirement="S8.3")
    assert page.locator(f"#action-list tr[data-number='{action.number}']").count() == 1
    context.close()

    # The owner finds it on the home page (the kernel's open-work list) and opens it.
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, clerk, "/")
    link = page.locator(f"a[href*='{action.number}']").first
    assert link.count() == 1
    with page.expect_navigation():
        link.click()
    assert page.locator("#action-head").get_attribute("data-number") == action.number
    context.close()

    # The manager sees the verdict of the office for this year.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, manager, f"/audits/verdict/?office={office.pk}&year={timezone.localdate().year}")
    assert page.locator("#criteria tr[data-requirement='S5.2']").count() == 1
    assert page.locator("#criteria tr[data-requirement='S3']").get_attribute("data-result") in ("passed", "failed")
    assert_accessible(page, "verdict")
    page.screenshot(path=str(artifacts / "audits-verdict.png"), full_page=True)
    context.close()
