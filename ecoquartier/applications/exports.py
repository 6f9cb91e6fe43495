"""Exports (F-34): applications with every answer, and reviews, as CSV or XLSX.

Rows are generated batch by batch (a fixed number of queries per `BATCH` applications), so a
CSV of 50,000 applications streams with flat memory; XLSX uses openpyxl's write-only mode.
Big exports run as a background task that writes its progress on the `Export` row.
"""

import csv
import io

from django.core.files.base import ContentFile
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ecoquartier.applications import formspec
from ecoquartier.applications.models import (
    Answers,
    Application,
    Criterion,
    Export,
    FormField,
    Review,
    Score,
)
from ecoquartier.applications.queries import filtered_applications

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
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def application_rows(call, queryset):
    fields = _fields(call)
    yield [
        _("Numéro"), _("Intitulé"), _("Organisation"), _("Territoire"), _("État"), _("Étape"),
        _("Éligible"), _("Note"), _("Bonus"), _("Écart entre évaluateurs"), _("Évaluations"),
        _("Déposée le"), *(f.label for f in fields),
    ]  # fmt: skip
    states = dict(Application._meta.get_field("state").choices)
    for ids in _batches(queryset):
        answers = {}
        for row in Answers.objects.filter(application_id__in=ids).order_by("step__deadline"):
            answers.setdefault(row.application_id, {}).update(row.data)
        for app in (
            Application.objects.filter(pk__in=ids)
            .select_related("organisation", "territory", "step")
            .order_by("pk")
        ):
            data = answers.get(app.pk, {})
            yield [
                app.pk, app.title, app.organisation.name, str(app.territory or ""),
                str(states[app.state]), str(app.step), _yes_no(app.eligible), app.score or "",
                app.bonus, app.score_spread or "", app.review_count,
                app.submitted_at.isoformat() if app.submitted_at else "",
                *(formspec.display(f, data.get(f.key)) for f in fields),
            ]  # fmt: skip


def _yes_no(value):
    return "" if value is None else (_("oui") if value else _("non"))


def review_rows(call, queryset):
    criteria = list(Criterion.objects.filter(call=call))
    yield [
        _("Candidature"), _("Intitulé"), _("Évaluateur"), _("Conflit d'intérêts"), _("Avis"),
        _("Note sur 20"), _("Soumise le"), *(c.label for c in criteria), _("Commentaire"),
    ]  # fmt: skip
    for ids in _batches(queryset):
        reviews = (
            Review.objects.filter(application_id__in=ids)
            .select_related("application", "reviewer")
            .prefetch_related(
                Prefetch(
                    "scores", queryset=Score.objects.only("review_id", "criterion_id", "value")
                )
            )
            .order_by("application_id", "pk")
        )
        for review in reviews:
            values = {s.criterion_id: s.value for s in review.scores.all()}
            yield [
                review.application_id, review.application.title, review.reviewer.email,
                review.get_conflict_display(), review.get_recommendation_display(),
                review.total or "", review.submitted_at.isoformat() if review.submitted_at else "",
                *(values.get(c.pk, "") for c in criteria), review.comment,
            ]  # fmt: skip


ROWS = {Export.Content.APPLICATIONS: application_rows, Export.Content.REVIEWS: review_rows}


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    """CSV for French spreadsheets: UTF-8 with BOM, semicolons."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def streamed_csv(rows, filename):
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_bytes(rows, on_row=None):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Export"))
    for n, row in enumerate(rows):
        sheet.append([str(v) if not isinstance(v, int | float) else v for v in row])
        if on_row:
            on_row(n)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build(export_id):
    """The background export: writes the file and reports progress every batch."""
    export = Export.objects.select_related("call").get(pk=export_id)
    queryset = filtered_applications(export.user, export.call, export.filters)
    total = max(queryset.count(), 1)
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, progress=1)

    def on_row(n):
        if n and n % BATCH == 0:
            Export.objects.filter(pk=export.pk).update(progress=min(99, n * 100 // total))

    try:
        rows = ROWS[export.content](export.call, queryset)
        if export.format == Export.Format.CSV:
            content = "".join(csv_lines(_counting(rows, on_row))).encode()
        else:
            content = xlsx_bytes(rows, on_row)
        name = f"{export.content}-{timezone.localdate():%Y%m%d}.{export.format}"
        export.file.save(name, ContentFile(content), save=False)
        export.status, export.progress, export.rows = Export.Status.DONE, 100, total
        export.save(update_fields=["file", "status", "progress", "rows"])
    except Exception:
        Export.objects.filter(pk=export.pk).update(status=Export.Status.FAILED)
        raise


def _counting(rows, on_row):
    for n, row in enumerate(rows):
        on_row(n)
        yield row
