"""The outages app's panel on the customer page (registered in `OutagesConfig.ready`, see `core.panels`)."""

from supply_service.outages.selectors import notices_affecting


def customer_outages_panel(*, request, customer) -> dict:
    """Upcoming/current notices affecting the customer and this year's planned ones (S6.5), two queries."""
    return notices_affecting(customer=customer)
