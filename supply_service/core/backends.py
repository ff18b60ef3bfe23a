"""The authentication backend: Django's ModelBackend, reading a user's permissions — their own and their groups' —
in one query (Django's takes two, each built through the ORM on every request). Issue 12: permission loading was a
tenth of a work list's time."""

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import IntegerField, Subquery

from supply_service.core.models import PermissionStamp
from supply_service.core.prepared import Bind, hot_cursor, prepared

UserModel = get_user_model()


def _permissions_sql() -> str:
    own = UserModel.user_permissions.through._meta
    in_groups = UserModel.groups.through._meta
    granted = Group.permissions.through._meta
    perm, ctype = Permission._meta, ContentType._meta
    return (
        f'SELECT ct."app_label", p."codename" FROM "{perm.db_table}" p '  # noqa: S608  (names from the models)
        f'INNER JOIN "{ctype.db_table}" ct ON ct."id" = p."content_type_id" '
        f'WHERE p."id" IN (SELECT "permission_id" FROM "{own.db_table}" WHERE "{own.get_field("user").column}" = %s) '
        f'OR p."id" IN (SELECT g."permission_id" FROM "{granted.db_table}" g INNER JOIN "{in_groups.db_table}" m '
        f'ON m."group_id" = g."group_id" WHERE m."{in_groups.get_field("user").column}" = %s)'
    )


# The signed-in user of every request with their office (every staff page names it) and the permission stamp: one
# statement compiled once per process instead of two built through the ORM per request (issue 12).
_USER_WITH_OFFICE = prepared(lambda: UserModel._default_manager.select_related("office")
                             .annotate(permission_stamp=Subquery(PermissionStamp.objects.filter(pk=1).values("token")[:1]))
                             .filter(pk=Bind("pk", IntegerField()))[:1])

# A user's permission set kept between requests: user pk -> (the stamp it was read under, the set). Used only while
# the stamp read with the user is the same (any change to groups or permissions renews it: triggers, core 0024).
_PERMISSIONS: dict[int, tuple[str, frozenset]] = {}
_PERMISSIONS_LIMIT = 4096


class ModelBackend(backends.ModelBackend):
    _sql = None

    def get_user(self, user_id):
        """Django's `get_user` (None for an unknown id or one that may not sign in), the office read with the user."""
        try:
            pk = UserModel._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if not isinstance(pk, int) or not 0 < pk < 2**63:
            return None
        found = _USER_WITH_OFFICE(pk=pk)
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj=obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._permissions(user_obj)
        return user_obj._perm_cache

    def _permissions(self, user_obj) -> frozenset:
        """The user's permissions — kept from an earlier request while the stamp read with the user this request
        (`get_user`) is the one they were read under; else read (one query) and, outside a transaction, kept. Read
        within a transaction they are not kept: the transaction may have changed them and may yet roll back."""
        stamp = getattr(user_obj, "permission_stamp", None)  # only a user read by get_user carries one
        known = _PERMISSIONS.get(user_obj.pk) if stamp else None
        if known is not None and known[0] == stamp:
            return known[1]
        if ModelBackend._sql is None:
            ModelBackend._sql = _permissions_sql()
        with hot_cursor(connection) as cursor:  # PostgreSQL plans it once per connection
            cursor.execute(ModelBackend._sql, [user_obj.pk, user_obj.pk])
            perms = frozenset(f"{app_label}.{codename}" for app_label, codename in cursor.fetchall())
        if stamp and not connection.in_atomic_block:
            if len(_PERMISSIONS) >= _PERMISSIONS_LIMIT:
                _PERMISSIONS.clear()
            _PERMISSIONS[user_obj.pk] = (stamp, perms)
        return perms
