from django.core.management.base import BaseCommand

from ecoquartier.accounts.models import User
from ecoquartier.demo.people import read

HEADERS = ("Rôle", "Adresse électronique", "Mot de passe", "Organisation")


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration (rôle, adresse, mot de passe, organisation)."

    def handle(self, *args, **options):
        data = read()
        names = {spec["key"]: spec["name"] for spec in data["organisations"]}
        existing = set(
            User.objects.filter(email__in=[a["email"] for a in data["accounts"]]).values_list(
                "email", flat=True
            )
        )
        rows = [
            (
                spec["role_label"],
                spec["email"],
                data["password"] if spec["email"] in existing else "(absent : lancez load_demo)",
                names.get(spec.get("organisation"), "Administration de la plateforme"),
            )
            for spec in data["accounts"]
        ]
        self.stdout.write(self._table(rows))

    @staticmethod
    def _table(rows):
        widths = [max(len(str(row[i])) for row in (HEADERS, *rows)) for i in range(len(HEADERS))]

        def line(cells):
            pairs = zip(cells, widths, strict=True)
            return " | ".join(str(cell).ljust(width) for cell, width in pairs)

        rule = "-+-".join("-" * width for width in widths)
        return "\n".join(["Comptes de démonstration", line(HEADERS), rule, *map(line, rows)])
