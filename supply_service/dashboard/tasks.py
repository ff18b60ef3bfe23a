"""django-q2 tasks of the dashboard (scheduled in core/schedules.py)."""


def publish_due_task() -> str:
    """Publish last month on its publication day if no manager has (idempotent: run it as often as you like)."""
    from supply_service.dashboard.services import publish_due

    published = publish_due()
    return str(published) if published else ""
