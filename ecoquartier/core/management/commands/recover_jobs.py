from django.core.management.base import BaseCommand

from ecoquartier.core import jobs


class Command(BaseCommand):
    help = (
        "Relance les tâches de fond (rapports PDF, exports) interrompues par l'arrêt d'un "
        "worker, ou les marque en échec après plusieurs tentatives."
    )

    def handle(self, *args, **options):
        count = jobs.recover_stale()
        self.stdout.write(f"{count} tâche(s) interrompue(s) reprise(s) ou close(s).")
