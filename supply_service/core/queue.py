"""Queueing background work (django-q2) from a service."""

from django.db import transaction


def queue_after_commit(func: str, *args, **kwargs) -> None:
    """Queue a task once the surrounding transaction commits, so a worker never looks for rows not yet committed.

    In sync mode (`Q_CLUSTER["sync"]`, the test settings) the task runs at once, inside the caller's transaction,
    as part of the caller's own work."""
    from django_q.conf import Conf
    from django_q.tasks import async_task

    if Conf.SYNC:
        async_task(func, *args, **kwargs)
        return
    transaction.on_commit(lambda: async_task(func, *args, **kwargs))
