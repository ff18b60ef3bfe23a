"""Content-Security-Policy in chromium (issue 10, fault 12): staff, kiosk, public and admin pages (the FSM change
form and a history page included) run without one CSP violation, and the page scripts still work under it."""

import pytest

from tests.factories.core import PASSWORD
from tests.factories.tickets import repair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return violations


def visit(page, live_server, path: str) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")


def test_no_csp_violation_on_staff_kiosk_public_and_admin_pages(page, live_server, manager, dispatcher):
    manager.is_staff = True
    manager.is_superuser = True
    manager.save(update_fields=["is_staff", "is_superuser"])
    ticket = repair(dispatcher)
    violations = watch_csp(page)

    for path in ["/kiosk/", "/kiosk/verify/", "/public/outages/", "/accounts/password/reset/"]:
        visit(page, live_server, path)

    visit(page, live_server, "/accounts/login/")
    page.locator("#id_username").fill(manager.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()
    page.wait_for_url(f"{live_server.url}/")

    visit(page, live_server, "/tickets/new/repair/")
    visit(page, live_server, f"/tickets/{ticket.number}/print/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.locator("#print-button").click()
    assert page.evaluate("window.printed === true"), "the print button's script runs under the policy"

    for path in ["/admin/", f"/admin/tickets/repairticket/{ticket.pk}/change/",
                 f"/admin/tickets/repairticket/{ticket.pk}/history/", "/admin/core/commitment/",
                 "/admin/axes/accessattempt/"]:
        visit(page, live_server, path)
    assert not violations, violations
