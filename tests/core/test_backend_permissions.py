"""The authentication backend reads the same permissions as Django's ModelBackend, in one query (issue 12)."""

import pytest
from django.contrib.auth import backends as django_backends
from django.contrib.auth.models import Group, Permission

from supply_service.core.backends import ModelBackend
from supply_service.core.models import User


def _fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_permissions_are_djangos_own_and_groups_in_one_query(django_assert_num_queries):
    user = User.objects.create_user(username="perm-check", password="x")
    first, second = Group.objects.create(name="perm-a"), Group.objects.create(name="perm-b")
    first.permissions.add(*Permission.objects.filter(codename__startswith="view_")[:5])
    second.permissions.add(*Permission.objects.filter(codename__startswith="change_")[:3])
    user.groups.add(first, second)
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="add_")[:2])
    expected = django_backends.ModelBackend().get_all_permissions(_fresh(user))
    assert len(expected) == 10
    fresh = _fresh(user)
    with django_assert_num_queries(1):
        assert ModelBackend().get_all_permissions(fresh) == expected
        assert all(fresh.has_perm(perm) for perm in expected)
        assert not fresh.has_perm("tickets.delete_repairticket")


@pytest.mark.django_db
def test_inactive_anonymous_and_superuser_as_django():
    inactive = User.objects.create_user(username="perm-inactive", password="x", is_active=False)
    inactive.user_permissions.add(Permission.objects.first())
    assert ModelBackend().get_all_permissions(_fresh(inactive)) == set()
    boss = User.objects.create_superuser(username="perm-boss", password="x")
    assert ModelBackend().get_all_permissions(_fresh(boss)) == django_backends.ModelBackend().get_all_permissions(
        _fresh(boss))


@pytest.mark.django_db
def test_get_user_is_djangos_with_the_office_read_in_the_same_query(office, django_assert_num_queries):
    staff = User.objects.create_user(username="with-office", password="x", office=office)
    nowhere = User.objects.create_user(username="no-office", password="x")
    gone = User.objects.create_user(username="inactive", password="x", is_active=False)
    ours, django_s = ModelBackend(), django_backends.ModelBackend()
    for user_id in (staff.pk, str(staff.pk), nowhere.pk, gone.pk, 10**9, "x", "", None, -1, 2**70):
        try:
            expected = django_s.get_user(user_id)
        except (ValueError, TypeError, OverflowError):
            expected = None  # Django's own raises for some of these: ours answers "no user"
        found = ours.get_user(user_id)
        assert (found and found.pk) == (expected and expected.pk), user_id
    with django_assert_num_queries(1):
        user = ours.get_user(staff.pk)
        assert user.office.name == office.name and user.username == "with-office"
    with django_assert_num_queries(1):
        assert ours.get_user(nowhere.pk).office is None


class _Refuses:
    """A backend that refuses everything (as a backend may: PermissionDenied ends the check)."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied


@pytest.mark.django_db
def test_has_perm_loads_the_backends_once_and_follows_the_setting(monkeypatch, settings):
    """`User.has_perm` keeps Django's rule over backends loaded once per value of AUTHENTICATION_BACKENDS."""
    import django.contrib.auth as auth

    user = User.objects.create_user(username="perm-loaded", password="x")
    user.user_permissions.add(Permission.objects.get(codename="view_repairticket"))
    user = _fresh(user)
    assert user.has_perm("tickets.view_repairticket")  # the backends of this setting are loaded now
    loads = []
    real = auth.load_backend
    monkeypatch.setattr(auth, "load_backend", lambda path: loads.append(path) or real(path))
    for _ in range(10):
        assert user.has_perm("tickets.view_repairticket") and not user.has_perm("tickets.delete_repairticket")
    assert loads == []  # Django's own has_perm loads every backend on every call
    # another setting: its backends, in its order (one that refuses first ends the check, as in Django)
    settings.AUTHENTICATION_BACKENDS = [f"{__name__}._Refuses", *settings.AUTHENTICATION_BACKENDS]
    assert not _fresh(user).has_perm("tickets.view_repairticket")
    settings.AUTHENTICATION_BACKENDS = settings.AUTHENTICATION_BACKENDS[1:]
    assert _fresh(user).has_perm("tickets.view_repairticket")
    boss = User.objects.create_superuser(username="perm-super", password="x")
    assert boss.has_perm("tickets.delete_repairticket")
    boss.is_active = False
    assert not boss.has_perm("tickets.delete_repairticket")  # an inactive superuser: the backends decide (nothing)
