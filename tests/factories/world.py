"""One small, complete world for the tests that walk every URL (the permission matrix, the form fuzzer): two offices,
one user per role (+ a user without a role, + a clerk of another office), a customer with a kiosk PIN, a ticket of
each kind, tickets and notices in the states whose pages carry other forms, a counter transaction, a call, and one
row of every model the admin shows. Built once per module (`world` fixtures wrap it in a transaction that is rolled
back), always the same way."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories.core import OfficeFactory, UserFactory

# The columns of the matrix: who makes the request. `anon` has no session; `customer` is an anonymous kiosk
# session verified with an account number and PIN; the rest are logged-in staff.
ROLE_USERS = {
    "clerk": "counter_clerk",
    "agent": "agent_95598",
    "dispatcher": "dispatcher",
    "crew": "field_crew",
    "handler": "complaint_handler",
    "auditor": "auditor",
    "manager": "manager",
}
ADMIN_USERS = {"auditor", "manager"}  # is_staff, as the demo and the README set them up
WHO = ["anon", "customer", *ROLE_USERS, "nobody", "outsider"]
KIOSK_PIN = "864209"


@dataclass
class World:
    home: object
    other: object
    users: dict
    customer: object
    tickets: dict          # kind -> a received ticket of the home office; "resolved" -> a resolved repair
    notices: dict          # state -> a notice of the home office in that state
    objects: dict = field(default_factory=dict)  # anything else a URL needs (counter, call, …)

    def client(self, who: str) -> Client:
        """A client for one column of the matrix (staff: force_login; customer: verified at the kiosk)."""
        client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
        if who == "customer":
            response = client.post(reverse("kiosk:verify"),
                                   {"account_number": self.customer.account_number, "pin": KIOSK_PIN})
            assert response.status_code == 302, f"the kiosk refused the world's customer: {response.status_code}"
        elif who != "anon":
            client.force_login(self.users[who])
        return client


def _users(home, other) -> dict:
    users = {}
    for name, role in ROLE_USERS.items():
        users[name] = UserFactory(username=f"w-{name}", office=home, roles=[role], is_staff=name in ADMIN_USERS)
    users["nobody"] = UserFactory(username="w-nobody", office=home)
    users["outsider"] = UserFactory(username="w-outsider", office=other, roles=["counter_clerk"])
    return users


def _grid(home):
    from supply_service.customers.models import Meter, MeterReading
    from supply_service.customers.services import customer_set_pin
    from tests.factories.customers import (
        BillFactory,
        CustomerFactory,
        FeederFactory,
        PaymentFactory,
        TransformerAreaFactory,
    )

    feeder = FeederFactory(office=home, code="W-F1", name="人民线")
    area = TransformerAreaFactory(feeder=feeder, code="W-TA1", name="人民路一号台区")
    customer = CustomerFactory(account_number="3199000001", office=home, transformer_area=area, feeder=feeder)
    customer_set_pin(customer=customer, pin=KIOSK_PIN, by=UserFactory(username="w-pin", office=home,
                                                                        roles=["manager"]))
    meter = Meter.objects.create(number="W-M0001", customer=customer, installed_on=date(2020, 1, 1))
    MeterReading.objects.create(meter=meter, scheduled_on=date(2026, 1, 5))
    BillFactory(customer=customer)
    PaymentFactory(customer=customer)
    return {"feeder": feeder, "area": area, "customer": customer, "meter": meter}


def _tariffs() -> None:
    from supply_service.customers.models import FeeItem, Tariff, TariffItem

    tariff = Tariff.objects.create(code="w-residential", category="residential", name_zh_hans="居民生活电价",
                                   name_en="Residential", legal_basis="发改价格", effective_from=date(2025, 1, 1))
    TariffItem.objects.create(tariff=tariff, name_zh_hans="第一档", name_en="Tier 1", price=Decimal("0.5600"))
    FeeItem.objects.create(code="w-fee", name_zh_hans="校验费", name_en="Meter test fee", legal_basis="发改价格",
                           amount=Decimal("20.00"))


def _tickets(users, customer) -> dict:
    from supply_service.tickets import services
    from tests.factories import tickets as make

    clerk, agent = users["clerk"], users["agent"]
    tickets = {
        "repair": make.repair(agent, customer=customer),
        "expansion": make.expansion(clerk, customer=customer),
        "meter_fault": make.meter_fault(clerk, customer=customer),
        "bill_query": make.bill_query(agent, customer=customer),
        "consultation": make.consultation(clerk, customer=customer),
    }
    resolved = make.repair(agent, customer=customer)
    for user, action, data in [("dispatcher", "dispatch", {"crew": users["crew"]}), ("crew", "arrive", {}),
                               ("crew", "remove_cause", {"cause": "熔断器熔断"}), ("crew", "repair", {})]:
        resolved = services.ticket_transition(ticket=type(resolved).objects.get(pk=resolved.pk), action=action,
                                              by=users[user], **data)
    resolved = type(resolved).objects.get(pk=resolved.pk)
    services.ticket_callback(ticket=resolved, by=agent, outcome="unreachable", note="无人接听")
    tickets["resolved"] = type(resolved).objects.get(pk=resolved.pk)
    services.ticket_chase(ticket=tickets["repair"], by=users["manager"], note="请尽快处理")
    services.ticket_hand_over(ticket=tickets["consultation"], to_user=users["agent"], by=clerk, reason="换班")
    tickets["consultation"] = type(tickets["consultation"]).objects.get(pk=tickets["consultation"].pk)
    return tickets


def _notices(users, grid) -> dict:
    from supply_service.outages.models import OutageNotice
    from supply_service.outages.services import outage_approve, outage_publish
    from tests.factories.outages import notice as make_notice

    dispatcher, manager = users["dispatcher"], users["manager"]
    start = timezone.now() + timedelta(days=20)
    draft = make_notice(dispatcher, start=start, areas=[grid["area"]])
    approved = make_notice(dispatcher, start=start + timedelta(days=1), areas=[grid["area"]])
    outage_approve(notice=approved, by=manager)
    published = make_notice(dispatcher, start=start + timedelta(days=2), areas=[grid["area"]])
    outage_approve(notice=published, by=manager)
    outage_publish(notice=OutageNotice.objects.get(pk=published.pk), by=manager)
    return {n.state: n for n in OutageNotice.objects.filter(pk__in=[draft.pk, approved.pk, published.pk])}


def _desk(users, customer) -> dict:
    from supply_service.tickets.services import call_record_create, counter_start

    counter = counter_start(clerk=users["clerk"], kind="other", customer=customer)
    call = call_record_create(agent=users["agent"], rang_at=timezone.now() - timedelta(minutes=5), ring_seconds=4,
                              caller_phone="13800001111", customer=customer, note="")
    return {"counter": counter, "call": call}


def _queue_rows() -> None:
    """One row of each django-q2 table the admin shows (a schedule, a success, a failure, a queued task)."""
    from django_q.models import OrmQ, Schedule, Task

    Schedule.objects.create(name="w-sweep", func="supply_service.core.tasks.sla_sweep_task", schedule_type="I",
                            minutes=1)
    now = timezone.now()
    for success in (True, False):
        Task.objects.create(id=f"w-task-{int(success)}", name=f"w-task-{int(success)}", func="math.floor",
                            started=now, stopped=now, success=success)
    OrmQ.objects.create(key="w", payload="x", lock=None)


def _model(label: str):
    from django.apps import apps

    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _log_rows(users, customer) -> None:
    """A row of each log the admin shows (personal-data accesses, login attempts), where the app is installed."""
    access = _model("core.personaldataaccess")
    if access is not None:
        access.objects.create(user=users["manager"], action="view", label=customer.account_number, where="world")
    attempt, failure, log = (_model(f"axes.{name}") for name in ("accessattempt", "accessfailurelog", "accesslog"))
    if attempt is not None:
        attempt.objects.create(username="w-someone", ip_address="10.0.0.9", user_agent="test", failures_since_start=1)
    if failure is not None:
        failure.objects.create(username="w-someone", ip_address="10.0.0.9", user_agent="test")
    if log is not None:
        log.objects.create(username="w-manager", ip_address="10.0.0.8", user_agent="test")


def _quality_rows(home, grid) -> None:
    """A monitoring point with a month of figures, an abnormal-condition period and an exemption (quality app)."""
    from supply_service.quality.models import AbnormalPeriod, Exemption, MonitoringPoint, VoltageClass, VoltageMonth

    point = MonitoringPoint.objects.create(code="W-VP1", name="人民路一号台区末端", category="D", office=home,
                                           voltage_class=VoltageClass.objects.get(code="220v_1ph"),
                                           transformer_area=grid["area"])
    VoltageMonth.objects.create(point=point, month=date(2026, 1, 1), minutes_monitored=44640, minutes_above=10,
                                minutes_below=20)
    AbnormalPeriod.objects.create(office=home, starts_at=timezone.now() - timedelta(days=40),
                                  ends_at=timezone.now() - timedelta(days=39), reason="主变检修")
    Exemption.objects.create(customer=grid["customer"], starts_on=date(2026, 1, 1), reason="功率因数不达标")


def _published_month(users) -> None:
    """A published month (dashboard app) for the admin's pages."""
    from supply_service.dashboard.models import PublishedMonth

    PublishedMonth.objects.create(month=date(2026, 1, 1), published_at=timezone.now(), published_by=users["manager"],
                                  figures={"commitments": [], "callback": {"reached": 0, "needed": 0}})


def _history_everywhere() -> None:
    """Rows seeded by migrations have no history yet: save the first row of each such model once (the admin's
    history pages need a historical version)."""
    from django.contrib import admin

    for model in admin.site._registry:
        history = getattr(model, "history", None)
        first = model.objects.order_by("pk").first()
        if history is not None and first is not None and not history.exists():
            first.save()


def _appointments(users, home, customer) -> dict:
    """The appointments app: templates and a rota of the home office for tomorrow, a confirmed meter-installation
    visit (`appointment` in the permission matrix), a closure exception and a waiting-list entry."""
    from datetime import time

    from supply_service.appointments import services
    from supply_service.appointments.models import SlotException
    from supply_service.appointments.slots import local_dt
    from tests.factories.appointments import open_office

    tomorrow = timezone.localdate() + timedelta(days=1)
    meter = open_office(office=home, kind_code="meter_installation", people=[users["crew"]], days=[tomorrow],
                        starts_at=time(9, 0), ends_at=time(12, 0))
    visit = services.appointment_book(office=home, kind=meter, starts_at=local_dt(tomorrow, time(9, 0)),
                                      channel="phone", by=users["clerk"], customer=customer)
    SlotException.objects.create(office=home, date=tomorrow + timedelta(days=30), capacity=0, reason="盘点")
    services.waiting_join(office=home, kind=meter, day=tomorrow, name="候补客户", phone="13900001111")
    return {"appointment": visit}


def _counter(users, home, customer) -> dict:
    """The queue of the home office: window 1 open with the clerk and a number called to it (the first rows of
    counter.window and counter.queueticket), window 2 closed after the manager served a number there (a receipt and
    a rating); the clerk's card (staff number and photo) for the rating pad."""
    from decimal import Decimal

    from supply_service.counter import services, services_pay, services_rating
    from supply_service.counter.models import ClerkCard, Tender
    from tests.factories.counter import clerk_photo, counter_setup

    hall = counter_setup(home)
    window, second = hall["windows"]
    services.ticket_take(service=hall["services"]["fee"])
    services.window_open(window=window, by=users["clerk"])
    called = services.ticket_call_next(window=window, by=users["clerk"])
    services.ticket_take(service=hall["services"]["fee"])
    services.window_open(window=second, by=users["manager"])
    served = services.ticket_serve(ticket=services.ticket_call_next(window=second, by=users["manager"]),
                                   by=users["manager"], customer=customer)
    services_pay.payment_take(ticket=served, by=users["manager"], amount=Decimal("10.00"),
                              tender=Tender.objects.get(code="cash"), tendered=Decimal("10.00"))
    served = services.ticket_finish(ticket=served, by=users["manager"])
    services_rating.rating_record(window=second, ticket_id=served.pk, score="satisfied")
    services.window_close(window=second, by=users["manager"])
    ClerkCard.objects.create(user=users["clerk"], staff_number="W0001", photo=clerk_photo())
    return {"queue_ticket": called, "window": window}


def _audits(users, home) -> dict:
    """The audits app: a planned, an in-progress (one answer with a photo) and a submitted audit (a corrective
    action owned by the manager) of the home office — `audit:<planned|progress|submitted|action>` in the matrix —
    and one engagement record, supervisor, survey result, incident and duty shift."""
    from supply_service.audits import models as audit_models
    from supply_service.audits.services import audit_answer, audit_submit
    from tests.factories.audits import answer_all, photo, plan_audit, started_audit

    auditor, manager, today = users["auditor"], users["manager"], timezone.localdate()
    planned = plan_audit(office=home, auditor=auditor)
    progress = started_audit(office=home, auditor=auditor)
    audit_answer(audit=progress, item=progress.template.items.get(key="posted-information"), by=auditor, value="no",
                 note="价目表过期", photo=photo())
    submitted = started_audit(office=home, auditor=auditor)
    answer_all(submitted, auditor, fail=("posted-information",))
    audit_submit(audit=submitted, by=auditor)
    supervisor = audit_models.ServiceSupervisor.objects.create(office=home, name="王监督", appointed_on=today)
    audit_models.EngagementRecord.objects.create(office=home, kind="forum", held_on=today, title="客户座谈会",
                                                 supervisor=supervisor, participants="客户代表", minutes="纪要",
                                                 recorded_by=manager)
    audit_models.SurveyResult.objects.create(office=home, year=today.year, period=f"{today.year}-H1",
                                             surveyor="调查公司", respondents=300, satisfaction=91,
                                             imported_by=manager)
    audit_models.MajorIncident.objects.create(office=home, occurred_on=today, description="演练记录", is_major=False,
                                              recorded_by=manager)
    audit_models.DutyShift.objects.create(office=home, staff=users["clerk"], starts_at=timezone.now(),
                                          ends_at=timezone.now() + timedelta(hours=8))
    return {"audits": {"planned": planned, "progress": progress, "submitted": submitted,
                       "action": submitted.actions.get(requirement="S8.3")}}


def build_world() -> World:
    ensure_reference_data()
    with transaction.atomic():
        # The matrix asks permissions, not the kiosk's idle rule (tested in tests/kiosk): a run slowed by a busy
        # machine must not see its verified kiosk customer time out half-way (302 instead of 200).
        from supply_service.core.models import Policy  # noqa: PLC0415

        Policy.objects.filter(code="kiosk_idle_seconds").update(value=24 * 3600)
        home = OfficeFactory(code="w-home", name="市中心供电营业厅")
        other = OfficeFactory(code="w-other", name="天山路供电营业厅", signage_language="ug")
        users = _users(home, other)
        grid = _grid(home)
        _tariffs()
        tickets = _tickets(users, grid["customer"])
        notices = _notices(users, grid)
        desk = _desk(users, grid["customer"])
        desk.update(_complaints(users))
        desk.update(_counter(users, home, grid["customer"]))
        desk.update(_appointments(users, home, grid["customer"]))
        desk.update(_audits(users, home))
        _queue_rows()
        _log_rows(users, grid["customer"])
        _quality_rows(home, grid)
        _published_month(users)
        _history_everywhere()
    assert Group.objects.filter(name="manager").exists()
    return World(home=home, other=other, users=users, customer=grid["customer"], tickets=tickets, notices=notices,
                 objects={**grid, **desk})


def ensure_reference_data() -> None:
    """Roles, commitments, policies, languages, the calendar and payment methods, put back after a transactional
    test flushed them (the `reference_data` fixture and the module-scoped worlds both call this). Idempotent: one
    query when the data migrations' rows are there."""
    from django.apps import apps

    from supply_service.core import roles, seed
    from supply_service.core.models import CalendarDay, Commitment, Policy, ServiceLanguage
    from supply_service.customers import seed as customer_seed
    from supply_service.customers.models import PaymentMethod
    from supply_service.dashboard import seed as dashboard_seed
    from tests.conftest import _grant_app_roles

    if Group.objects.filter(name=roles.MANAGER, permissions__codename="change_countertransaction").exists():
        return
    roles.grant(apps, roles.CORE_PERMISSIONS)
    seed.seed_commitments(Commitment)
    seed.seed_policies(Policy)
    seed.seed_service_languages(ServiceLanguage)
    if not CalendarDay.objects.filter(date__year=2026).exists():
        seed.seed_calendar(CalendarDay, range(2025, 2027))
    customer_seed.seed_payment_methods(PaymentMethod)
    dashboard_seed.seed_policies(Policy)
    _grant_app_roles(apps)
    from supply_service.counter.seed import ensure_reference_data as counter_reference_data

    counter_reference_data()
    from supply_service.audits.seed import seed_reference as audits_seed

    audits_seed()
    from supply_service.quality.seed import seed_reference as quality_seed

    quality_seed()
    from supply_service.appointments import seed as appointments_seed
    from supply_service.appointments.models import AppointmentKind

    appointments_seed.seed_kinds(AppointmentKind)
    appointments_seed.seed_policies(Policy)
    from supply_service.complaints.seed import seed_reference as complaints_seed

    complaints_seed()


def _complaints(users) -> dict:
    """A received complaint, a report (with an identity request) and a replied complaint (with a corrective
    action) of the home office: `complaint:<received|report|replied>` in the permission matrix."""
    from supply_service.complaints import services, services_identity
    from tests.factories import complaints as make

    handler, manager = users["handler"], users["manager"]
    report = make.report(handler)
    services_identity.identity_request_create(complaint=report, by=handler, reason="核实举报人身份")
    replied = make.walk(make.complaint(handler), handler=handler, approver=manager)
    services.corrective_action_add(complaint=replied, by=handler, description="窗口服务培训", owner=manager,
                                   due_date=timezone.localdate() + timedelta(days=7))
    return {"complaint_received": make.complaint(handler), "complaint_report": report,
            "complaint_replied": replied}
