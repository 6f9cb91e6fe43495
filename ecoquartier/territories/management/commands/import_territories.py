from pathlib import Path

from django.core.management.base import BaseCommand

from ecoquartier.territories.importer import EXTRACT_PATH, import_territories


class Command(BaseCommand):
    help = "Import (or refresh) French régions, départements, EPCI and communes. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=EXTRACT_PATH, help="extract (territories.json.gz)"
        )

    def handle(self, *args, path, **options):
        report = import_territories(path)
        self.stdout.write(self.style.SUCCESS(report.summary()))
