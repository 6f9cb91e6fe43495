from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ecoquartier.demo.steps import run_steps


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (organisations, comptes, projets…), étape par "
        "étape. Idempotent. À lancer après import_territories (et seed_state_services)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Passer outre le refus en production (les comptes ont un mot de passe public).",
        )

    def handle(self, *args, allow_production=False, **options):
        if getattr(settings, "IS_PRODUCTION", False) and not allow_production:
            raise CommandError(
                "Les comptes de démonstration ont un mot de passe public : load_demo ne tourne "
                "pas en production (option --allow-production pour passer outre)."
            )
        for path, report in run_steps():
            if report is None:
                if options["verbosity"] > 1:
                    self.stdout.write(f"– {path} : module absent, étape ignorée.")
            else:
                suffix = f" : {report}" if report else ""
                self.stdout.write(self.style.SUCCESS(f"✓ {path}") + suffix)
