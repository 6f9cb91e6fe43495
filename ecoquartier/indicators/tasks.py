"""Background work (django-tasks): checking and importing an uploaded spreadsheet."""

from django_tasks import task

from ecoquartier.core import jobs
from ecoquartier.indicators import spreadsheet
from ecoquartier.indicators.models import ValueImport


def _work(job, progress):
    job = ValueImport.objects.select_related("project", "user").get(pk=job.pk)
    with job.file.open("rb") as handle:
        content = handle.read()
    reading = spreadsheet.read(
        content, job.project, lambda n, total: n % 50 == 0 and progress(min(90, n * 90 // total))
    )
    imported = spreadsheet.import_values(job.user, job.project, reading)
    return {"report": reading.problems, "rows": reading.rows, "imported": imported}


@task()
def run_import(import_id):
    jobs.run(ValueImport, import_id, _work)
    return import_id
