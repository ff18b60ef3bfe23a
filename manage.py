#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supply_service.settings")
    # manage.py is the developer's tool: debug unless told otherwise. The served app (wsgi.py/asgi.py) keeps the
    # secure default (debug off, a secret key and allowed hosts required); production sets DJANGO_DEBUG=0 here too.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
