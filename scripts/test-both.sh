#!/usr/bin/env bash
# `make test`'s two pytest passes: SQLite in the foreground, PostgreSQL beside it (TEST_SERIAL=1: one after the
# other). Fails when either fails; the PostgreSQL output is printed in one piece when it is done.
# The PostgreSQL pass is the longer one (its transactional tests flush a server database; its own server process
# shares the cores): the SQLite pass runs at a lower priority (nice), so that PostgreSQL's pass takes the CPU it can
# use while both run and the two end closer together (a core stood idle for the last minutes before).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
LOG=var/test-postgres.log
if [ "${TEST_SERIAL:-0}" = "1" ]; then
  echo "== pytest on SQLite =="; make --no-print-directory test-sqlite || exit 1
  echo "== pytest on PostgreSQL =="; make --no-print-directory test-postgres; exit $?
fi
start=$(date +%s)
make --no-print-directory test-postgres >"$LOG" 2>&1 &
pg=$!
trap 'kill -- -$pg 2>/dev/null; kill $pg 2>/dev/null' INT TERM
echo "== pytest on SQLite (PostgreSQL pass running beside it: $LOG) =="
nice -n "${TEST_SQLITE_NICE:-5}" make --no-print-directory test-sqlite
sqlite_rc=$?
echo "== SQLite pass: exit $sqlite_rc after $(( $(date +%s) - start )) s; waiting for PostgreSQL =="
wait $pg
pg_rc=$?
echo "== pytest on PostgreSQL (exit $pg_rc after $(( $(date +%s) - start )) s) =="
cat "$LOG"
[ "$sqlite_rc" -eq 0 ] && [ "$pg_rc" -eq 0 ]
