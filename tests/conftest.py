import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # pytest-django's db set-up under Playwright

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = "/usr/lib/chromium/chromium"


def pytest_collection_modifyitems(config, items):
    # Tests marked `postgresql` need a real PostgreSQL (threads, row locks): the SQLite pass deselects them. Tests
    # marked `sqlite` exercise the SQLite site itself (a copy of the pass's SQLite database as `make run`'s file: the
    # worker, the restore drill): the PostgreSQL pass, which has no SQLite database, deselects them — never a skip.
    from django.db import connection

    # Tests marked `markup_only` (axe over every page: markup and styles, alike on both databases) run once, in the
    # SQLite pass: they were two minutes of the PostgreSQL pass, the longer one (every page is still requested on
    # PostgreSQL by the permission matrix and the fuzz test).
    others = {"sqlite", "markup_only"} if connection.vendor == "postgresql" else {"postgresql"}
    deselected = [item for item in items if any(item.get_closest_marker(name) for name in others)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian chromium is not installed: `make test` installs it as root, or: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An office PC in China: the browser asks for Chinese (Django maps zh-CN to zh-hans).
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def reference_data(db):
    """Roles, commitments, languages and the calendar: there after migrations, but flushed by transactional
    tests — this puts them back (idempotent; one query in the usual case)."""
    from tests.factories.world import ensure_reference_data

    ensure_reference_data()


def _grant_app_roles(apps):
    """Grant the roles of every app's reference-data migration again (after a flush)."""
    import importlib

    for module in [
        "supply_service.core.migrations.0005_policy_values",
        "supply_service.core.migrations.0010_calendar_warning_policy",
        "supply_service.core.migrations.0006_axes_permissions",
        "supply_service.core.migrations.0008_personal_data_access_grants",
        "supply_service.customers.migrations.0002_reference_data",
        "supply_service.customers.migrations.0007_disconnection",
        "supply_service.tickets.migrations.0002_reference_data",
        "supply_service.tickets.migrations.0003_manager_permissions",
        "supply_service.tickets.migrations.0004_clock_rules",
        "supply_service.outages.migrations.0002_reference_data",
        "supply_service.complaints.migrations.0002_reference_data",
        "supply_service.appointments.migrations.0002_reference_data",
        "supply_service.counter.migrations.0002_reference_data",
        "supply_service.counter.migrations.0004_rating_followup_reference_data",
        "supply_service.audits.migrations.0002_reference_data",
        "supply_service.dashboard.migrations.0002_reference_data",
        "supply_service.quality.migrations.0002_reference_data",
    ]:
        roles_module = importlib.import_module(module)
        from supply_service.core import roles

        roles.grant(apps, roles_module.PERMISSIONS)


@pytest.fixture
def office(reference_data):
    from tests.factories.core import OfficeFactory

    return OfficeFactory(code="home", name="市中心供电营业厅")


@pytest.fixture
def other_office(reference_data):
    from tests.factories.core import OfficeFactory

    return OfficeFactory(code="other", name="天山路供电营业厅", signage_language="ug")


def _role_user(role, office, username=None):
    from tests.factories.core import UserFactory

    return UserFactory(username=username or role, office=office, roles=[role])


@pytest.fixture
def clerk(office):
    return _role_user("counter_clerk", office, "clerk")


@pytest.fixture
def agent(office):
    return _role_user("agent_95598", office, "agent")


@pytest.fixture
def dispatcher(office):
    return _role_user("dispatcher", office, "dispatcher")


@pytest.fixture
def crew(office):
    return _role_user("field_crew", office, "crew")


@pytest.fixture
def handler(office):
    return _role_user("complaint_handler", office, "handler")


@pytest.fixture
def auditor(office):
    return _role_user("auditor", office, "auditor")


@pytest.fixture
def manager(office):
    return _role_user("manager", office, "manager")


@pytest.fixture
def outsider(other_office):
    """A counter clerk of another office."""
    return _role_user("counter_clerk", other_office, "outsider")


@pytest.fixture
def nobody(office):
    """A logged-in account without any role."""
    from tests.factories.core import UserFactory

    return UserFactory(username="nobody", office=office)
