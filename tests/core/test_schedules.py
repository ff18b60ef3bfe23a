import pytest
from django.core.management import call_command
from django_q.models import Schedule
from django_q.tasks import async_task

from supply_service.core.schedules import SCHEDULES


@pytest.mark.django_db
def test_sync_schedules_is_idempotent():
    call_command("sync_schedules")
    call_command("sync_schedules")
    assert set(Schedule.objects.values_list("name", flat=True)) == {s["name"] for s in SCHEDULES}
    sweep = Schedule.objects.get(name="sla-sweep")
    assert sweep.schedule_type == Schedule.MINUTES and sweep.minutes == 1 and sweep.repeats == -1


@pytest.mark.django_db
def test_scheduled_functions_run_as_tasks():
    # In tests django-q2 runs tasks inline; the same dotted paths the schedules name.
    for spec in SCHEDULES:
        task_id = async_task(spec["func"], sync=True)
        assert task_id


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    from supply_service.core.models import Office, User

    call_command("seed_demo")
    call_command("seed_demo")
    assert Office.objects.filter(code__in=["city-centre", "tianshan"]).count() == 2
    assert User.objects.filter(username__in=["clerk", "agent", "dispatcher", "crew", "handler", "auditor",
                                             "manager", "admin"]).count() == 8
    assert User.objects.get(username="clerk").has_perm("core.use_workbench")
    assert "supply-demo-2026" in capsys.readouterr().out
