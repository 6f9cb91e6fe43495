"""Exports (F-34): applications with every answer, and reviews, as CSV or XLSX.

Rows are generated batch by batch (a fixed number of queries per `BATCH` applications), so a
CSV of 50,000 applications streams with flat memory; XLSX uses openpyxl's write-only mode.
Big exports run as a background task that writes its progress on the `Export` row.
"""

import csv
from datetime import date
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.applications import formspec
from ecoquartier.applications.models import (
    Annotation,
    Answers,
    Application,
    CoApplicant,
    Criterion,
    Export,
    FormField,
    Opinion,
    Review,
    Score,
)
from ecoquartier.applications.reads import answer_names, filtered_applications
from ecoquartier.calls.models import CallStep
from ecoquartier.core import jobs
from ecoquartier.core.spreadsheets import csv_row
from ecoquartier.core.spreadsheets import xlsx_bytes as _xlsx
from ecoquartier.organisations.models import Organisation
from ecoquartier.territories.models import Territory

BATCH = 2000
# Above this many rows, an XLSX is built in the background rather than during the request.
DIRECT_XLSX_LIMIT = 2000


def _fields(call):
    """One column per field key across every version of the call's forms (latest label)."""
    fields = {}
    for field in (
        FormField.objects.filter(section__form__step__call=call)
        .select_related("section")
        .order_by(
            "section__form__step__deadline",
            "-section__form__version",
            "section__position",
            "position",
        )
    ):
        fields.setdefault(field.key, field)
    return list(fields.values())


def _batches(queryset):
    """`queryset` in batches of BATCH applications, each as the same queryset bounded to a range
    of keys: a list of 2,000 keys in each statement cost more to build and send than the rows
    it reads (half a million applications: a third of the export's time on PostgreSQL)."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        yield queryset.filter(pk__range=(chunk[0], chunk[-1])).order_by()


def _labels(choices):
    """{value: label} of a field's choices, translated once per export rather than per row."""
    return {value: str(label) for value, label in choices}


def application_rows(call, queryset):
    """Plain rows (no model instances): 50,000 applications would build 200,000 of them."""
    fields = _fields(call)
    yield [
        _("Numéro"), _("Intitulé"), _("Organisation"), _("Co-candidats"), _("Territoire"),
        _("État"), _("Étape"), _("Éligible"), _("Note"), _("Bonus"), _("Écart entre évaluateurs"),
        _("Évaluations"), _("Déposée le"), *(f.label for f in fields),
        _("Avis donnés / demandés"), _("Avis"), _("Annotations privées"),
    ]  # fmt: skip
    states = _labels(Application._meta.get_field("state").choices)
    steps = {step.pk: str(step) for step in CallStep.objects.filter(call=call)}
    yes_no = {None: "", True: _("oui"), False: _("non")}
    names = _Names()
    for rows in _pages(queryset):
        # The answers of this page's applications: those of `queryset` in its range of keys.
        page = queryset.filter(pk__range=(rows[0][0], rows[-1][0]))
        answers = {}
        for application_id, data in (
            Answers.objects.filter(application__in=page.values("pk"))
            .order_by("step__deadline")
            .values_list("application_id", "data")
        ):
            answers.setdefault(application_id, {}).update(data)
        names.read({row[2] for row in rows}, {row[3] for row in rows})
        opinions, annotations = _opinions(page), _annotations(page)
        partners = _co_applicants(page)
        # Projects and territories answered, by name (two queries a page at most).
        display = _typed(formspec.displayer(answer_names(fields, list(answers.values()))))
        for (pk, title, organisation_id, territory_id, state, step_id, eligible, score, bonus,
             spread, reviews, submitted_at) in rows:  # fmt: skip
            data = answers.get(pk, {})
            yield [
                pk, title, names.organisations[organisation_id], partners.get(pk, ""),
                names.territories[territory_id], states[state], steps[step_id], yes_no[eligible],
                score, bonus, spread, reviews, submitted_at,
                *(display(f, data.get(f.key)) for f in fields),
                *opinions.get(pk, ("", "")), annotations.get(pk, ""),
            ]  # fmt: skip


def _opinions(page):
    """{application id: ("1/2", the opinions as text)} for a page of applications (one query)."""
    found = {}
    pending = _("en attente")
    for application_id, email, question, answer, answered_at in (
        Opinion.objects.filter(application__in=page.values("pk"))
        .order_by("application_id", "asked_at", "pk")
        .values_list("application_id", "email", "question", "answer", "answered_at")
    ):
        given, texts = found.setdefault(application_id, [0, []])
        found[application_id][0] += answered_at is not None
        texts.append(
            _("%(email)s — question : %(question)s — avis : %(answer)s")
            % {"email": email, "question": question, "answer": answer if answered_at else pending}
        )
    return {pk: (f"{given}/{len(texts)}", "\n".join(texts)) for pk, (given, texts) in found.items()}


def _annotations(page):
    """{application id: the private annotations as text} for a page of applications."""
    found = {}
    for application_id, author, body, created_at in (
        Annotation.objects.filter(application__in=page.values("pk"))
        .order_by("application_id", "created_at", "pk")
        .values_list("application_id", "author__email", "body", "created_at")
    ):
        found.setdefault(application_id, []).append(
            f"{timezone.localtime(created_at):%d/%m/%Y} {author or ''} : {body}"
        )
    return {pk: "\n".join(texts) for pk, texts in found.items()}


def _co_applicants(applications):
    """{application pk: the names of its co-applicants who joined, "A, B"}: one query a page."""
    found = {}
    rows = (
        CoApplicant.objects.filter(
            application__in=applications.values("pk"),
            accepted_at__isnull=False,
            organisation__isnull=False,
        )
        .order_by("organisation__name")
        .values_list("application_id", "organisation__name")
    )
    for application_id, name in rows:
        found[application_id] = (
            f"{found[application_id]}, {name}" if application_id in found else name
        )
    return found


def _pages(queryset):
    """The rows of `queryset` that an export writes, BATCH at a time in the order of their keys,
    each page read from where the last one ended (no list of every key read first)."""
    ordered = queryset.order_by("pk")
    last = None
    while True:
        page = ordered if last is None else ordered.filter(pk__gt=last)
        rows = list(
            page.values_list(
                "pk", "title", "organisation_id", "territory_id", "state", "step_id", "eligible",
                "score", "bonus", "score_spread", "review_count", "submitted_at",
            )[:BATCH]
        )  # fmt: skip
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _typed(display):
    """`display`, but numbers and dates answered go out as numbers and dates, so that a
    spreadsheet sums and sorts them (text that is not one stays as it was typed)."""
    kinds = {
        FormField.Kind.INTEGER: int,
        FormField.Kind.DECIMAL: lambda v: Decimal(str(v).replace(",", ".")),
        FormField.Kind.DATE: lambda v: date.fromisoformat(str(v)),
    }

    def typed(field, value):
        convert = kinds.get(field.kind)
        if convert is not None and value not in (None, "", []):
            try:
                return convert(value)
            except (ValueError, ArithmeticError):
                pass
        return display(field, value)

    return typed


class _Names:
    """Organisation and territory names by key, read once per export for the keys not seen
    yet: joining both tables to every batch of applications hashed the whole organisations
    table each time (7 ms a batch of 2,000 on PostgreSQL with 26,000 organisations)."""

    def __init__(self):
        self.organisations = {}
        self.territories = {None: ""}

    def read(self, organisation_ids, territory_ids):
        missing = organisation_ids - self.organisations.keys()
        if missing:
            self.organisations.update(
                Organisation.objects.filter(pk__in=missing).values_list("pk", "name")
            )
        missing = territory_ids - self.territories.keys()
        if missing:
            for pk, kind, name, code in Territory.objects.filter(pk__in=missing).values_list(
                "pk", "kind", "name", "code"
            ):
                self.territories[pk] = str(Territory(kind=kind, name=name, code=code))


def review_rows(call, queryset):
    """Plain rows, scores read in one query per batch (150,000 reviews in a large call)."""
    criteria = list(Criterion.objects.filter(call=call))
    yield [
        _("Candidature"), _("Intitulé"), _("Évaluateur"), _("Conflit d'intérêts"), _("Avis"),
        _("Note sur 20"), _("Soumise le"), *(c.label for c in criteria), _("Commentaire"),
    ]  # fmt: skip
    conflicts = _labels(Review.Conflict.choices)
    recommendations = _labels(Review.Recommendation.choices)
    for batch in _batches(queryset):
        scores = {}
        for review_id, criterion_id, value in Score.objects.filter(
            review__application__in=batch.values("pk")
        ).values_list("review_id", "criterion_id", "value"):
            scores.setdefault(review_id, {})[criterion_id] = value
        reviews = (
            Review.objects.filter(application__in=batch.values("pk"))
            .order_by("application_id", "pk")
            .values_list(
                "pk", "application_id", "application__title", "reviewer__email", "conflict",
                "recommendation", "total", "submitted_at", "comment",
            )
        )  # fmt: skip
        for (pk, application_id, title, email, conflict, recommendation, total, submitted_at,
             comment) in reviews:  # fmt: skip
            values = scores.get(pk, {})
            yield [
                application_id, title, email, conflicts.get(conflict, conflict),
                recommendations.get(recommendation, recommendation), total, submitted_at,
                *(values.get(c.pk, "") for c in criteria), comment,
            ]  # fmt: skip


ROWS = {Export.Content.APPLICATIONS: application_rows, Export.Content.REVIEWS: review_rows}


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows, lines_per_chunk=500):
    """CSV for French spreadsheets: UTF-8 with BOM, semicolons. Lines go out in chunks: half a
    million one-line chunks cost the response more to encode and send than to write."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    lines = []
    for row in rows:
        lines.append(writer.writerow(csv_row(row)))
        if len(lines) >= lines_per_chunk:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def streamed_csv(rows, filename):
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_bytes(rows, on_row=None):
    """Typed cells, frozen header and filters (core.spreadsheets)."""
    return _xlsx(rows, _("Export"), on_row)


def build(export_id):
    """The background export: writes the file and reports progress every batch."""
    jobs.run(Export, export_id, _write)


def _write(export, progress):
    export = Export.objects.select_related("call", "user").get(pk=export.pk)
    queryset = filtered_applications(export.user, export.call, export.filters)
    total = max(queryset.count(), 1)
    progress(1)

    def on_row(n):
        if n and n % BATCH == 0:
            progress(min(99, n * 100 // total))

    rows = ROWS[export.content](export.call, queryset)
    if export.format == Export.Format.CSV:
        content = "".join(csv_lines(_counting(rows, on_row))).encode()
    else:
        content = xlsx_bytes(rows, on_row)
    name = f"{export.content}-{timezone.localdate():%Y%m%d}.{export.format}"
    return {"file": jobs.store_file(export, "file", name, content), "rows": total}


def _counting(rows, on_row):
    for n, row in enumerate(rows):
        on_row(n)
        yield row
