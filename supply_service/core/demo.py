"""Demo data for `make run`: offices and one user per role. Idempotent."""

from datetime import time

from django.contrib.auth.models import Group
from django.db import transaction

from supply_service.core import seed
from supply_service.core.models import CalendarDay, Commitment, Office, ServiceLanguage, User
from supply_service.core.roles import (
    AGENT_95598,
    AUDITOR,
    COMPLAINT_HANDLER,
    COUNTER_CLERK,
    DISPATCHER,
    FIELD_CREW,
    MANAGER,
)

DEMO_PASSWORD = "supply-demo-2026"

OFFICES = [
    {"code": "city-centre", "name": "市中心供电营业厅", "address": "人民路 1 号", "region": "市区",
     "phone": "0991-95598", "signage_language": ""},
    {"code": "tianshan", "name": "天山路供电营业厅", "address": "天山路 88 号", "region": "天山区",
     "phone": "0991-95598", "signage_language": "ug"},
]

# username, role, first name, last name, is_staff (admin access), languages served
USERS = [
    ("clerk", COUNTER_CLERK, "晓红", "李", False, ["en"]),
    ("agent", AGENT_95598, "建国", "王", False, ["csl"]),
    ("dispatcher", DISPATCHER, "伟", "张", False, []),
    ("crew", FIELD_CREW, "强", "刘", False, []),
    ("handler", COMPLAINT_HANDLER, "敏", "陈", False, []),
    ("auditor", AUDITOR, "静", "杨", True, []),
    ("manager", MANAGER, "磊", "赵", True, ["en"]),
]


@transaction.atomic
def seed_demo_base(*, options: dict | None = None, stdout=None) -> list[tuple[str, str]]:
    """Reference data, offices and users; returns (username, role) of the demo logins."""
    seed.seed_commitments(Commitment)
    seed.seed_service_languages(ServiceLanguage)
    seed.seed_calendar(CalendarDay)
    offices = []
    for spec in OFFICES:
        office, _ = Office.objects.update_or_create(
            code=spec["code"], defaults={**spec, "opens_at": time(8, 30), "closes_at": time(17, 30)}
        )
        offices.append(office)
    logins = []
    for username, role, first, last, is_staff, languages in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
        user.first_name, user.last_name, user.office = first, last, offices[0]
        user.is_staff = is_staff
        user.email = f"{username}@supply.example.cn"
        user.save()
        user.groups.add(Group.objects.get(name=role))
        user.languages_served.add(*ServiceLanguage.objects.filter(code__in=languages))
        logins.append((username, role))
    offices[0].customer_managers.add(User.objects.get(username="manager"))
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", "admin@supply.example.cn", DEMO_PASSWORD)
    admin.office = offices[0]
    admin.save()
    logins.append(("admin", "superuser"))
    return logins
