"""Settings of the scale-out run's processes (gunicorn, qcluster, manage.py shell): the production settings, plus
the test suite's small work-item app (its clocks fill the breach sweep), the fast hasher the test data is stored
with, and static files without a manifest (the run fetches pages, not static files)."""

from supply_service.settings import *  # noqa: F403
from supply_service.settings import INSTALLED_APPS, STORAGES

INSTALLED_APPS = [*INSTALLED_APPS, "tests.kernel_app"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
