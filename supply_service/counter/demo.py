"""Demo data of the counter for `make run` (idempotent): every office gets the three queue services and three
windows; the first office has numbers waiting, one called to window 1 and one served (the board shows them)."""

from django.db import transaction
from django.utils import timezone

from supply_service.core.models import Office, User
from supply_service.counter import seed, services
from supply_service.counter.models import QueueTicket, Service, Window

LETTERS = {Service.Kind.FEE: "A", Service.Kind.BUSINESS: "B", Service.Kind.ENQUIRY: "C"}
WINDOWS = 3


def seed_demo_counter(*, options: dict | None = None, stdout=None) -> None:
    seed.ensure_reference_data()
    with transaction.atomic():
        for office in Office.objects.filter(is_active=True):
            made = [Service.objects.get_or_create(office=office, kind=kind, defaults={
                "letter": letter, "position": index})[0] for index, (kind, letter) in enumerate(LETTERS.items())]
            for number in range(1, WINDOWS + 1):
                window, created = Window.objects.get_or_create(office=office, number=number)
                if created:
                    window.services.set(made if number > 1 else made[:1])
    first = Office.objects.filter(is_active=True).order_by("pk").first()
    clerk = User.objects.filter(username="clerk", office=first).first()
    if first is None or clerk is None or QueueTicket.objects.filter(office=first, day=timezone.localdate()).exists():
        return
    fee = Service.objects.get(office=first, kind=Service.Kind.FEE)
    for service in [fee, fee, *Service.objects.filter(office=first).exclude(pk=fee.pk)]:
        services.ticket_take(service=service)
    window = Window.objects.get(office=first, number=1)
    if window.clerk_id in (None, clerk.pk):
        services.window_open(window=window, by=clerk)
        if not QueueTicket.objects.filter(window=window, state__in=services.IN_PROGRESS).exists():
            services.ticket_call_next(window=window, by=clerk)
    if stdout:
        stdout.write("counter: queue services, windows and today's numbers\n")
