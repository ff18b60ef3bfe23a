"""Demo data of the customers app (filled in below)."""


def seed_demo_customers(*, options: dict, stdout) -> None:
    return None
