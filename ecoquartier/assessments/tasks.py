"""Background work (django-tasks): e-mails after a status change and PDF reports."""

from django_tasks import task

from ecoquartier.assessments import notifications, reports


@task()
def send_transition_emails(assessment_id, transition_name, actor_id, reason=""):
    return notifications.send_transition_emails(assessment_id, transition_name, actor_id, reason)


@task()
def build_report(report_id):
    reports.build(report_id)
    return report_id
