"""A user's permission set is kept between requests only while the permission stamp read with the user is unchanged;
every write to who holds which permission — through the ORM, a queryset, or raw SQL — renews the stamp by database
triggers (core 0024), so a revoked permission is refused on the very next request (issue 12)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import reverse

from supply_service.core import backends
from supply_service.core.backends import ModelBackend
from supply_service.core.models import PermissionStamp, User

pytestmark = pytest.mark.django_db(transaction=True)  # the set is kept only outside a transaction, as in a request


def _stamp() -> str | None:
    return PermissionStamp.objects.filter(pk=1).values_list("token", flat=True).first()


def _signed_in(user) -> User:
    """The user as a request sees them (read by the backend with the stamp)."""
    return ModelBackend().get_user(user.pk)


@pytest.fixture
def role(reference_data):  # the permissions themselves are put back after another test's flush
    group = Group.objects.create(name="stamp-role")
    granted = Permission.objects.filter(codename__in=["view_customer", "use_workbench"])
    assert granted.count() == 2
    group.permissions.add(*granted)
    user = User.objects.create_user(username="stamp-user", password="x")
    user.groups.add(group)
    return group, user


def test_the_set_is_kept_between_requests_and_read_again_after_a_change(role, django_assert_num_queries):
    group, user = role
    assert _signed_in(user).has_perm("customers.view_customer")  # read, then kept
    with django_assert_num_queries(1):  # the user with the stamp; the permissions from memory
        again = _signed_in(user)
        assert again.has_perm("customers.view_customer") and not again.has_perm("customers.change_customer")
    before = _stamp()
    group.permissions.add(Permission.objects.get(codename="change_customer"))
    assert _stamp() != before
    with django_assert_num_queries(2):  # the stamp moved: read anew
        assert _signed_in(user).has_perm("customers.change_customer")


def test_every_way_of_revoking_is_seen_on_the_next_read(role):
    """Six ways of taking the permission away, one after the other (each undone before the next): the kept set is
    never served after any of them. One test: a transactional test flushes the database, six would flush six times."""
    group, user = role
    view = Permission.objects.get(codename="view_customer")
    through = User.groups.through._meta.db_table

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{through}" WHERE "user_id" = %s', [user.pk])  # noqa: S608  (a model's table)

    ways = {
        "group loses the permission": (lambda: group.permissions.remove(view), lambda: group.permissions.add(view)),
        "user leaves the group": (lambda: user.groups.remove(group), lambda: user.groups.add(group)),
        "group rows deleted by a queryset (no m2m signal)": (
            lambda: Group.permissions.through.objects.filter(group=group, permission=view).delete(),
            lambda: group.permissions.add(view)),
        "raw SQL": (raw_delete, lambda: user.groups.add(group)),
        "permission renamed by update()": (
            lambda: Permission.objects.filter(pk=view.pk).update(codename="view_customer_renamed"),
            lambda: Permission.objects.filter(pk=view.pk).update(codename="view_customer")),
        "content type renamed": (
            lambda: ContentType.objects.filter(pk=view.content_type_id).update(app_label="customers_renamed"),
            lambda: ContentType.objects.filter(pk=view.content_type_id).update(app_label="customers")),
    }
    for way, (revoke, undo) in ways.items():
        assert _signed_in(user).has_perm("customers.view_customer"), way
        assert _signed_in(user).has_perm("customers.view_customer"), way  # kept now
        revoke()
        assert not _signed_in(user).has_perm("customers.view_customer"), way
        undo()


def test_a_set_read_inside_a_transaction_is_not_kept(role, django_assert_num_queries):
    group, user = role
    backends._PERMISSIONS.pop(user.pk, None)
    with transaction.atomic():
        group.permissions.add(Permission.objects.get(codename="change_customer"))
        assert _signed_in(user).has_perm("customers.change_customer")  # seen inside the transaction ...
        transaction.set_rollback(True)  # ... which does not happen
    assert user.pk not in backends._PERMISSIONS
    assert not _signed_in(user).has_perm("customers.change_customer")


def test_without_the_stamp_row_nothing_is_kept_and_the_next_change_writes_it_back(role, django_assert_num_queries):
    group, user = role
    PermissionStamp.objects.all().delete()  # as a flush leaves it
    backends._PERMISSIONS.pop(user.pk, None)
    assert _signed_in(user).has_perm("customers.view_customer")
    with django_assert_num_queries(2):  # no stamp: read every time
        assert _signed_in(user).has_perm("customers.view_customer")
    group.permissions.remove(Permission.objects.get(codename="view_customer"))
    assert _stamp() is not None
    assert not _signed_in(user).has_perm("customers.view_customer")


def test_a_page_refuses_at_once_when_the_role_loses_the_permission(client, role):
    group, user = role
    user.office = None
    client.force_login(user)
    url = reverse("core:home")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # served from the kept set
    group.permissions.remove(Permission.objects.get(codename="use_workbench"))
    assert client.get(url).status_code == 403
