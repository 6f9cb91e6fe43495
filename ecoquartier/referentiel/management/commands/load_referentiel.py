"""`manage.py load_referentiel [file.yaml …]`: idempotent, data/referentiel/*.yaml by default."""

from django.core.management.base import BaseCommand, CommandError

from ecoquartier.referentiel import loader


class Command(BaseCommand):
    help = "Charge les versions du référentiel ÉcoQuartier depuis des fichiers YAML."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="YAML files (default: data/referentiel/)")

    def handle(self, *args, files, **options):
        paths = files or loader.default_files()
        if not paths:
            raise CommandError(f"No référentiel file in {loader.DATA_DIR}")
        for path in paths:
            try:
                result = loader.load(path)
            except (OSError, loader.ReferentielFileError) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"{result.version.code}: {result.dimensions} dimensions, "
                f"{result.commitments} engagements, {result.questions} questions"
                + (" (version en vigueur)" if result.version.is_current else "")
            )
