"""The benchmark harness (`make bench`, `make bench-flat`): never imported by the production URLconf or settings.

- `settings.py`: the real settings, a benchmark database (a SQLite file per scale under var/bench/, or DATABASE_URL),
  and `benchmarks.urls` (the production URLconf plus bare views) as ROOT_URLCONF;
- `seed.py`: customers and bills through `seed_demo`, then tickets and SLA clocks in bulk, the open-work table,
  ANALYZE;
- `bare.py`: the bare views every page is compared with;
- `run.py`: times every staff, kiosk and public page with the in-process client and prints one table;
- `budgets.toml`: the ratios each page must stay within.
"""
