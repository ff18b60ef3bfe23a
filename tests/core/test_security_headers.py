"""Content-Security-Policy and cookies (issue 10, fault 12): every page type sends a policy that allows no inline
script or style, no template carries inline script or style, and the language cookie is SameSite and HttpOnly."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "supply_service").glob("*/templates"))]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on…= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def assert_strict_policy(response):
    policy = directives(response)
    for name in ("script-src", "style-src"):
        assert policy[name] == ["'self'"], policy
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_no_template_has_inline_script_or_style():
    found = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/kiosk/", "/public/outages/",
                                 "/public/commitments/", "/accounts/password/reset/", "/no-such-page/"])
def test_public_pages_send_the_policy(client, reference_data, url):
    assert_strict_policy(client.get(url))


def test_staff_and_admin_pages_send_the_policy(client, manager):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    client.force_login(manager)
    for url in [reverse("core:home"), reverse("tickets:list"), reverse("admin:index"),
                reverse("admin:core_commitment_changelist"), reverse("password_change")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)


def test_language_cookie_is_samesite_and_httponly(client, reference_data):
    response = client.post(reverse("set_language"), {"language": "ug", "next": "/kiosk/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ug"
    assert cookie["samesite"] == "Lax" and cookie["httponly"]
    # Secure follows the HTTPS setting (off in the test settings): the production smoke test sees it on.
    assert settings.LANGUAGE_COOKIE_SECURE == settings.HTTPS
