"""Background work (django-tasks): PDF reports."""

from django_tasks import task

from ecoquartier.assessments import reports


@task()
def build_report(report_id):
    reports.build(report_id)
    return report_id
