from django.core.management.base import BaseCommand

from ecoquartier.labels.tasks import send_use_phase_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels d'évaluation en phase d'usage arrivés à échéance (trois ans après "
        "la labellisation « livré ») et ouvre les évaluations. Idempotent : à lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Date de référence (AAAA-MM-JJ), aujourd'hui par défaut."
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier le travail au db_worker."
        )

    def handle(self, *args, date=None, enqueue=False, **options):
        if enqueue:
            result = send_use_phase_reminders.enqueue(date)
            self.stdout.write(f"Tâche mise en file : {result.id}")
            return
        count = send_use_phase_reminders.call(date)
        self.stdout.write(self.style.SUCCESS(f"{count} rappel(s) envoyé(s)."))
