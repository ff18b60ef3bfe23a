from django.db import migrations

from supply_service.core import roles
from supply_service.customers import seed

VIEW = ["customers.view_customer", "customers.view_bill", "customers.view_payment", "customers.view_meter",
        "customers.view_meterreading", "customers.view_tariff", "customers.view_feeitem",
        "customers.view_paymentmethod", "customers.view_feeder", "customers.view_transformerarea"]
PERMISSIONS = {
    roles.COUNTER_CLERK: [*VIEW, "customers.reset_pin_customer"],
    roles.AGENT_95598: VIEW,
    roles.DISPATCHER: VIEW,
    roles.FIELD_CREW: ["customers.view_customer", "customers.view_meter"],
    roles.COMPLAINT_HANDLER: VIEW,
    roles.AUDITOR: VIEW,
    roles.MANAGER: [
        *VIEW, "customers.reset_pin_customer", "customers.change_customer", "customers.add_customer",
        "customers.change_tariff", "customers.add_tariff", "customers.change_tariffitem", "customers.add_tariffitem",
        "customers.view_tariffitem", "customers.change_feeitem", "customers.add_feeitem",
        "customers.change_paymentmethod", "customers.add_paymentmethod", "customers.add_bill",
        "customers.add_payment", "customers.add_meterreading", "customers.add_feeder", "customers.change_feeder",
        "customers.add_transformerarea", "customers.change_transformerarea",
    ],
}


def forwards(apps, schema_editor):
    roles.grant(apps, PERMISSIONS)
    seed.seed_payment_methods(apps.get_model("customers", "PaymentMethod"))


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial"), ("core", "0002_reference_data")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
