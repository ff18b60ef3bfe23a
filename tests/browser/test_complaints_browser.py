"""The complaints loop in Debian chromium (issue 13): a customer files a complaint on the public page in Uyghur and
gets a code and a secret; a handler accepts and investigates; a manager approves the reply; the callback closes it;
the customer sees "closed" on the tracking page. Elements are found by id, name or data attributes."""

import re

import pytest

from tests.browser.test_tickets_browser import assert_accessible, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def take_step(page, action, **fields):
    form = page.locator(f"form[data-action='{action}']")
    for name, value in fields.items():
        field = form.locator(f"[name='{name}']")
        tag = field.first.evaluate("el => el.tagName + ':' + (el.type || '')")
        if tag.startswith("SELECT"):
            field.select_option(value)
        elif tag.endswith(":radio"):
            form.locator(f"[name='{name}'][value='{value}']").check()
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def state(page) -> str:
    return page.locator("#complaint-state").get_attribute("data-state")


def test_public_complaint_in_uyghur_round_the_loop(browser, live_server, handler, manager, artifacts):
    from pathlib import Path

    shots = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    customer = browser.new_context(locale="ug", viewport={"width": 900, "height": 1000})
    public = customer.new_page()
    public.goto(f"{live_server.url}/public/feedback/")
    assert public.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(public, "public feedback (ug)")
    public.locator("input[name='kind'][value='complaint']").check()
    public.locator("#id_summary").fill("ئۆچۈرۈش ئۇقتۇرۇلمىدى")
    public.locator("#id_description").fill("تۈنۈگۈن ئۇقتۇرۇشسىز توك توختىدى.")
    public.locator("#id_phone").fill("13700005555")
    public.screenshot(path=str(shots / "complaints-public-ug.png"), full_page=True)
    with public.expect_navigation():
        public.locator("#feedback-submit").click()
    code = public.locator("#tracking-code").inner_text().strip()
    secret = public.locator("#tracking-secret").inner_text().strip()
    assert re.fullmatch(r"KS-\d{8}-\d{4}", code) and len(secret) >= 12

    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    log_in(page, live_server, handler)
    page.goto(f"{live_server.url}/complaints/{code}/")
    take_step(page, "accept", **{"accept-category": "supply_quality"})
    take_step(page, "assign", **{"assign-handler": str(handler.pk)})
    assert state(page) == "investigating"
    take_step(page, "draft_reply", **{"draft_reply-finding": "substantiated", "draft_reply-root_cause": "process",
                                      "draft_reply-reply_text": "كەچۈرۈڭ، كېيىن ئالدىن ئۇقتۇرىمىز."})
    assert state(page) == "reply_drafted"
    assert_accessible(page, "complaint detail")
    page.screenshot(path=str(shots / "complaints-detail.png"), full_page=True)
    log_out(page, live_server)

    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/complaints/{code}/")
    take_step(page, "approve_reply")
    assert state(page) == "reply_approved"
    log_out(page, live_server)

    log_in(page, live_server, handler)
    page.goto(f"{live_server.url}/complaints/{code}/")
    take_step(page, "send_reply", **{"send_reply-channel": "sms"})
    take_step(page, "callback", **{"callback-outcome": "satisfied"})
    assert state(page) == "called_back"
    take_step(page, "close")
    assert state(page) == "closed"

    public.goto(f"{live_server.url}/public/feedback/track/")
    public.locator("#id_code").fill(code)
    public.locator("#id_secret").fill(secret)
    with public.expect_navigation():
        public.locator("#track-submit").click()
    assert public.locator("#track-state").get_attribute("data-state") == "closed"
    assert public.locator("#track-reply").is_visible()
    assert_accessible(public, "tracking (ug)")
    customer.close()
    staff.close()
