from django.core.management.base import BaseCommand

from ecoquartier.organisations.state_services import seed_state_services


class Command(BaseCommand):
    help = (
        "Create the State services (DGALN, a DREAL/DEAL per region, a DDT(M) per département) "
        "from the imported territories. Idempotent; run it after import_territories."
    )

    def handle(self, *args, **options):
        created = seed_state_services()
        self.stdout.write(self.style.SUCCESS(f"{len(created)} State services created."))
