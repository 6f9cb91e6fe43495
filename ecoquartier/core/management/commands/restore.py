from django.core.management.base import BaseCommand, CommandError

from ecoquartier.core import backup


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (la plus récente de backups/ par défaut) dans la base de données "
        "et le stockage configurés, en remplaçant leur contenu, puis vérifie le nombre de lignes "
        "de chaque table et l'empreinte de chaque fichier."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help="Dossier d'une sauvegarde.")
        parser.add_argument("--backups", default="backups", help="Dossier des sauvegardes.")
        parser.add_argument(
            "--database-url", help="Restaurer dans cette base plutôt que dans la base configurée."
        )
        parser.add_argument(
            "--noinput", action="store_true", help="Ne pas demander de confirmation."
        )

    def handle(self, *args, source, backups, database_url, noinput, **options):
        try:
            source = source or backup.latest(backups)
            manifest = backup.read_manifest(source)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        target = database_url or "la base de données configurée"
        if not noinput and input(
            f"Remplacer le contenu de {target} par la sauvegarde {source} ? [oui/non] "
        ).strip().lower() not in ("o", "oui", "y", "yes"):
            raise CommandError("Restauration annulée.")
        try:
            report = backup.restore(source, database_url=database_url)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if not report.ok:
            details = [
                f"{table} : {expected} lignes attendues, {found} trouvées"
                for table, (expected, found) in report.count_mismatches.items()
            ] + [f"fichier différent ou absent : {name}" for name in report.file_mismatches]
            raise CommandError("La restauration diffère de la sauvegarde :\n" + "\n".join(details))
        self.stdout.write(
            self.style.SUCCESS(f"Sauvegarde {source} restaurée")
            + f" : {report.tables} tables et {report.files} fichiers identiques au manifeste "
            f"({sum(manifest['tables'].values())} lignes)."
        )
