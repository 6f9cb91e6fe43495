from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ecoquartier.core import jobs, scheduler


class Command(DbWorkerCommand):
    help = (
        "Le worker de la plateforme : exécute les tâches de fond (django-tasks-db) et lance les "
        "tâches périodiques à leur heure (une seule fois par période, même à plusieurs workers). "
        "Reprend d'abord les tâches qu'un worker arrêté a laissées en cours."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Ne pas lancer les tâches périodiques depuis ce worker.",
        )

    def handle(self, *args, no_scheduler=False, **options):
        jobs.recover_stale()
        ticker = None
        if not no_scheduler:
            scheduler.tick()  # What is due now runs in this worker's first batch.
            ticker = scheduler.Ticker()
            ticker.start()
        try:
            return super().handle(*args, **options)
        finally:
            if ticker is not None:
                ticker.stopped.set()
