from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecoquartier.core import backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et tous les fichiers déposés dans un nouveau dossier "
        "(backups/AAAAMMJJ-HHMMSS/ par défaut), avec un manifeste (nombre de lignes par table, "
        "empreinte SHA-256 de chaque fichier)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="Dossier des sauvegardes.")

    def handle(self, *args, output, **options):
        destination = Path(output) / timezone.localtime().strftime("%Y%m%d-%H%M%S")
        try:
            manifest = backup.backup(destination)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Sauvegarde écrite dans {destination}")
            + f" : {len(manifest['tables'])} tables, {rows} lignes, "
            f"{len(manifest['files'])} fichiers."
        )
