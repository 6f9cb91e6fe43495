from django.core.management.base import BaseCommand

from ecoquartier.projects.taxonomy import TAXONOMY_FILE, load_taxonomy


class Command(BaseCommand):
    help = "Charge les types d'opération, thématiques et objets d'accroche (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(TAXONOMY_FILE))

    def handle(self, *args, **options):
        created = load_taxonomy(options["file"])
        self.stdout.write(
            self.style.SUCCESS(
                "Taxonomie chargée : {operation_types} types d'opération, {themes} thématiques "
                "et {hooks} objets d'accroche créés.".format(**created)
            )
        )
