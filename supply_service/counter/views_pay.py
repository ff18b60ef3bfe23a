"""Fee collection at the window (filled in step 3)."""


def payment_context(request, current) -> dict:
    return {}
