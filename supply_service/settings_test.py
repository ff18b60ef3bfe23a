"""Test settings: the real settings with a fixed key, fast hashing and tasks run inline."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuv")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from supply_service.settings import *  # noqa: E402,F403
from supply_service.settings import Q_CLUSTER, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "supply_service.core.sms.LocmemSmsBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# The login rate limit (django-axes) is off here because the test client's login() passes no request;
# tests/core/test_login_lockout.py turns it on, and the production smoke test runs with it.
AXES_ENABLED = False

# A small concrete work item model lives in the test suite to exercise the kernel's abstract one.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.kernel_app"]  # noqa: F405
