"""`manage.py load_indicators [file.yaml …]`: idempotent, data/indicators/*.yaml by default."""

from django.core.management.base import BaseCommand, CommandError

from ecoquartier.indicators import loader


class Command(BaseCommand):
    help = "Charge les jeux d'indicateurs ÉcoQuartier depuis des fichiers YAML."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="YAML files (default: data/indicators/)")

    def handle(self, *args, files, **options):
        paths = files or loader.default_files()
        if not paths:
            raise CommandError(f"No indicator file in {loader.DATA_DIR}")
        for path in paths:
            try:
                result = loader.load(path)
            except (OSError, loader.IndicatorFileError) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"{result.indicator_set.code}: {result.indicators} indicateurs, dont "
                f"{result.label_base} au socle national du label"
                + (" (jeu en vigueur)" if result.indicator_set.is_current else "")
            )
