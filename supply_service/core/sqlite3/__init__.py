"""Django's SQLite backend, with the `%s` → `?` rewrite of each statement remembered (`base.py`)."""
