"""Roles are Django groups; their permissions are granted by data migrations through `grant`."""

from django.utils.translation import gettext_noop

COUNTER_CLERK = "counter_clerk"
AGENT_95598 = "agent_95598"
DISPATCHER = "dispatcher"
FIELD_CREW = "field_crew"
COMPLAINT_HANDLER = "complaint_handler"
AUDITOR = "auditor"
MANAGER = "manager"

ROLES = {
    COUNTER_CLERK: gettext_noop("Counter clerk"),
    AGENT_95598: gettext_noop("95598 agent"),
    DISPATCHER: gettext_noop("Dispatcher"),
    FIELD_CREW: gettext_noop("Field crew"),
    COMPLAINT_HANDLER: gettext_noop("Complaint handler"),
    AUDITOR: gettext_noop("Auditor"),
    MANAGER: gettext_noop("Manager"),
}

CORE_PERMISSIONS = {
    role: ["core.use_workbench", "core.view_slaclock", "core.view_commitment", "core.view_calendarday"]
    for role in ROLES
} | {
    MANAGER: [
        "core.use_workbench", "core.view_slaclock", "core.waive_slaclock", "core.view_commitment",
        "core.change_commitment", "core.view_calendarday", "core.add_calendarday", "core.change_calendarday",
        "core.view_office", "core.change_office", "core.view_outbox", "core.retry_outbox", "core.view_callback",
        "core.view_handover", "core.view_user",
    ],
    AUDITOR: [
        "core.use_workbench", "core.view_slaclock", "core.view_commitment", "core.view_calendarday",
        "core.view_office", "core.view_outbox", "core.view_callback", "core.view_handover",
    ],
}


def grant(apps, role_permissions: dict[str, list[str]]) -> None:
    """Create the groups and give them permissions (for data migrations; creates missing permissions first). The
    permissions are looked up in one query, each group's added in one call: the test suite puts the roles back after
    every flush (eighteen grants: ~2 800 queries when each permission was read and added on its own)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {tuple(name.split(".")) for names in role_permissions.values() for name in names}
    found = _permission_ids(Permission, wanted)
    if len(found) < len(wanted):  # a model's permissions not made yet (a migration before post_migrate has run)
        from django.contrib.auth.management import create_permissions

        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, verbosity=0, apps=apps)
            app_config.models_module = None
        found = _permission_ids(Permission, wanted)
    missing = sorted(".".join(key) for key in wanted - set(found))
    if missing:
        raise Permission.DoesNotExist(f"no such permission: {', '.join(missing)}")
    for role, names in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(*{found[tuple(name.split("."))] for name in names})


def _permission_ids(Permission, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:  # noqa: N803
    """{(app label, codename): pk} of the wanted permissions that exist (one query)."""
    rows = Permission.objects.filter(content_type__app_label__in={app for app, _ in wanted},
                                     codename__in={codename for _, codename in wanted})
    return {(app, codename): pk for app, codename, pk in rows.values_list("content_type__app_label", "codename", "pk")
            if (app, codename) in wanted}


def user_roles(user) -> set[str]:
    """The role names of a user (one query, cached on the user object for the request)."""
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._role_names = cached
    return cached


def default_channel(user) -> str:
    """The channel a new item comes in by, for this user: the 95598 agent takes calls; everyone else the counter."""
    roles = user_roles(user)
    return "phone" if AGENT_95598 in roles and COUNTER_CLERK not in roles else "counter"
