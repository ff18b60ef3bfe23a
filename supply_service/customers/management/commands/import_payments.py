from supply_service.customers.imports.command import ImportCommand


class Command(ImportCommand):
    kind = "payments"
