#!/usr/bin/env bash
# Serve the site on 127.0.0.1:8000 and run the django-q2 cluster beside it; Ctrl-C stops both.
set -uo pipefail
PY=.venv/bin/python
$PY manage.py qcluster &
QPID=$!
stop() { kill -TERM "$QPID" 2>/dev/null; wait "$QPID" 2>/dev/null; }
trap stop EXIT INT TERM
$PY manage.py runserver "${RUN_ADDR:-127.0.0.1:8000}"
