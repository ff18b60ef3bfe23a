"""Copy a seeded SQLite bench database into PostgreSQL, table by table (COPY), so that `make bench` can run on
PostgreSQL at city scale without seeding through the ORM there (500 000 tickets: ~1½ min instead of most of an hour).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench BENCH_CUSTOMERS=100000 BENCH_ITEMS=500000 \
        .venv/bin/python scripts/bench_copy_to_postgres.py var/bench/bench-100000c-500000i.sqlite3
    DATABASE_URL=… BENCH_CUSTOMERS=100000 BENCH_ITEMS=500000 .venv/bin/python scripts/bench.py

The PostgreSQL database is migrated, emptied, filled with every row (ids kept, foreign keys checked by neither side
while copying: `session_replication_role = replica`), its sequences reset and `VACUUM ANALYZE`d; the bench's marker
table comes along, so the bench finds it seeded. Benchmark tooling only (not part of `make test`)."""

import os
import sqlite3
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
import django  # noqa: E402

django.setup()
from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

src = sqlite3.connect(sys.argv[1])
call_command("migrate", verbosity=0)
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS bench_seed (name VARCHAR(40) PRIMARY KEY, value BIGINT NOT NULL)")
    c.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='public' AND table_type='BASE TABLE'")
    pg_tables = {r[0] for r in c.fetchall()}
lite_tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
tables = sorted((pg_tables & lite_tables) - {"django_migrations"})
raw = connection.connection
with raw.cursor() as c:
    c.execute("SET session_replication_role = replica")
    c.execute("SET TIME ZONE 'UTC'")
    c.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
total = 0
for t in tables:
    started = time.time()
    with raw.cursor() as c:
        c.execute("SELECT column_name, data_type FROM information_schema.columns "
                  "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position", [t])
        cols = c.fetchall()
    lite_cols = {r[1] for r in src.execute(f'PRAGMA table_info("{t}")')}
    cols = [(n, ty) for n, ty in cols if n in lite_cols]
    bools = [i for i, (n, ty) in enumerate(cols) if ty == "boolean"]
    names = ", ".join(f'"{n}"' for n, _ in cols)
    n = 0
    with raw.cursor() as c, c.copy(f'COPY "{t}" ({names}) FROM STDIN') as cp:
        for row in src.execute(f'SELECT {names} FROM "{t}"'):
            if bools:
                row = list(row)
                for i in bools:
                    if row[i] is not None:
                        row[i] = bool(row[i])
            cp.write_row(row)
            n += 1
    total += n
    if n > 10000:
        print(f"{t}: {n} rows in {time.time() - started:.1f} s", flush=True)
if not raw.autocommit:
    raw.commit()
with raw.cursor() as c:
    c.execute("SET session_replication_role = DEFAULT")
out = StringIO()
call_command("sqlsequencereset", *[a.label for a in apps.get_app_configs() if a.models_module], stdout=out, no_color=True)
with connection.cursor() as c:
    c.execute(out.getvalue())
    c.execute("VACUUM ANALYZE")
print("copied", total, "rows from", len(tables), "tables")
