"""`roles.grant` (every data migration's roles, and the suite's reference data after each flush): the permissions read
in one query, each role's added in one call, missing permissions made first, an unknown one refused."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from supply_service.core import roles

pytestmark = pytest.mark.django_db

GRANTS = {
    "test_role_a": ["core.view_office", "core.view_outbox", "customers.view_customer"],
    "test_role_b": ["core.view_office", "tickets.view_repairticket"],
}


def _granted(name: str) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=name).permissions.all()}


def test_grant_gives_each_role_its_permissions_in_a_few_queries(reference_data, django_assert_max_num_queries):
    # the lookup 1 + per role: its group (get_or_create: 1–3) and one add (read the existing links, insert: 2)
    with django_assert_max_num_queries(1 + len(GRANTS) * 5):
        roles.grant(apps, GRANTS)
    assert {name: _granted(name) for name in GRANTS} == {name: set(perms) for name, perms in GRANTS.items()}
    roles.grant(apps, GRANTS)  # again: nothing doubled, nothing else given
    assert {name: _granted(name) for name in GRANTS} == {name: set(perms) for name, perms in GRANTS.items()}


def test_a_permission_not_made_yet_is_made_then_granted(reference_data):
    Permission.objects.filter(content_type__app_label="core", codename="view_outbox").delete()
    roles.grant(apps, GRANTS)
    assert Permission.objects.filter(content_type__app_label="core", codename="view_outbox").exists()
    assert "core.view_outbox" in _granted("test_role_a")


def test_an_unknown_permission_is_refused_and_nothing_is_granted(reference_data):
    with pytest.raises(Permission.DoesNotExist, match="core.no_such_thing"):
        roles.grant(apps, {"test_role_c": ["core.view_office", "core.no_such_thing"]})
    assert not Group.objects.filter(name="test_role_c").exists()
