from django.core.management.base import BaseCommand

from ecoquartier.labels.schemes import SCHEMES_FILE, load_schemes


class Command(BaseCommand):
    help = "Charge les parcours du label ÉcoQuartier (data/labels/schemes.yaml). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SCHEMES_FILE))

    def handle(self, *args, file, **options):
        count = load_schemes(file)
        self.stdout.write(self.style.SUCCESS(f"{count} étapes du label chargées."))
