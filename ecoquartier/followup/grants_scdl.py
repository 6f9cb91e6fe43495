"""The grants as open data in the SCDL « subventions » format, v2.1.0 (schema.data.gouv.fr,
vendored in data/followup/scdl-subventions-schema.json; tests validate the export against it
with frictionless).

A row is published once its convention is dated and its funder's SIRET is known: both are
required by the schema (organisations hold a SIREN only, so the SIRET is typed on the grant).
Each grant has one beneficiary (pourcentageSubvention 1.00); the payment period is the first
to the last payment made, or, before any, the convention's date to the follow-up's end.
"""

import csv
import io

from django.db.models import Max, Min, Q

from ecoquartier.core.spreadsheets import neutralise
from ecoquartier.followup.models import Grant, Instalment

SCHEMA_VERSION = "2.1.0"
FIELDS = (
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
    "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
    "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention",
    "dispositifAide",
)  # fmt: skip
# conditionsVersement: « unique », « échelonné » or a free description (schema 2.1.0).
PAYMENT = {Grant.Payment.ONCE: "unique", Grant.Payment.STAGED: "échelonné"}
PUBLISHABLE = Q(convention_date__isnull=False) & ~Q(funder_siret="")


def publishable(queryset=None):
    """Grants the open data may carry, with what a row reads (one query)."""
    queryset = Grant.objects.all() if queryset is None else queryset
    paid = Q(instalments__state=Instalment.State.PAID)
    return (
        queryset.filter(PUBLISHABLE)
        .select_related("funder", "follow_up__beneficiary")
        .annotate(
            first_paid=Min("instalments__paid_on", filter=paid),
            last_paid=Max("instalments__paid_on", filter=paid),
        )
        .order_by("convention_date", "pk")
    )


def incomplete(queryset):
    """Grants left out of the open data: convention undated or funder's SIRET unknown."""
    return queryset.exclude(PUBLISHABLE)


def _period(grant):
    if grant.first_paid is not None:
        if grant.first_paid == grant.last_paid:
            return grant.first_paid.isoformat()
        return f"{grant.first_paid.isoformat()}/{grant.last_paid.isoformat()}"
    end = max(grant.follow_up.ends_on, grant.convention_date)
    return f"{grant.convention_date.isoformat()}/{end.isoformat()}"


def row(grant):
    """One SCDL row (a dict of FIELDS) for a grant of `publishable()`."""
    return {
        "nomAttribuant": neutralise(grant.funder.name),
        "idAttribuant": grant.funder_siret,
        "dateConvention": grant.convention_date.isoformat(),
        "referenceDecision": neutralise(grant.decision_reference),
        "nomBeneficiaire": neutralise(grant.follow_up.beneficiary.name),
        "idBeneficiaire": grant.beneficiary_siret,
        "rnaBeneficiaire": "",
        "objet": neutralise(grant.purpose)[:256],
        "montant": f"{grant.amount:.2f}",
        "nature": grant.nature,
        "conditionsVersement": PAYMENT.get(grant.payment, grant.payment),
        "datesPeriodeVersement": _period(grant),
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1.00",
        "dispositifAide": "",
    }


def lines(grants):
    """The CSV's lines (header first), for a streamed response: UTF-8, comma-separated."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")

    def take():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield take()
    for grant in grants.iterator(chunk_size=2000):
        writer.writerow(row(grant))
        yield take()


def csv_text(grants):
    return "".join(lines(grants))
