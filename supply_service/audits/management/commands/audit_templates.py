"""`manage.py audit_templates`: (re)generate the checklist templates from the standard's IDs (checklist.toml)."""

from django.core.management.base import BaseCommand

from supply_service.audits.services import templates_generate


class Command(BaseCommand):
    help = "Generate the audit checklist templates for the current version of the standard (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--standard-version", dest="standard_version", default=None,
                            help="Version label (default: from the standard's IDs).")

    def handle(self, *args, standard_version=None, **options):
        templates = templates_generate(version=standard_version)
        items = sum(t.items.count() for t in templates)
        self.stdout.write(f"{len(templates)} templates, {items} items ({templates[0].standard_version}).")
