import pytest

from supply_service.core import nav


@pytest.mark.django_db
def test_an_app_nav_link_shows_only_to_users_with_its_permission(client, manager):
    nav.register_nav(nav.NavLink(key="test-open", label="Open link", url_name="core:home", order=998))
    nav.register_nav(nav.NavLink(key="test-closed", label="Closed link", url_name="core:home",
                                 permissions=("core.no_such_permission",), order=999))
    nav.register_nav(nav.NavLink(key="test-broken", label="Broken", url_name="core:no_such_page"))
    try:
        assert [k for k, _l, _u in nav.nav_links_for(manager) if k.startswith("test-")] == ["test-open"]
        client.force_login(manager)
        body = client.get("/").content.decode()
        assert 'data-nav="test-open"' in body and 'data-nav="test-closed"' not in body
    finally:
        for key in ("test-open", "test-closed", "test-broken"):
            nav._LINKS.pop(key, None)
