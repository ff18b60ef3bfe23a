"""Scheduled work of the complaints app (declared in core/schedules.py)."""


def identity_erase_task() -> int:
    """Erase the reporter identities whose retention period (policy) ran out; each item's history says so."""
    from supply_service.complaints.services_identity import identity_erase_expired

    return identity_erase_expired()
