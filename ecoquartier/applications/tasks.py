"""Background work (django-tasks): e-mails after a change, and large exports."""

from django_tasks import task

from ecoquartier.applications import exports, notifications


@task()
def send_transition_emails(application_id, action, actor_id, reason=""):
    return notifications.send_transition_emails(application_id, action, actor_id, reason)


@task()
def send_message_email(message_id):
    return notifications.send_message_email(message_id)


@task()
def send_invitation(co_applicant_id):
    return notifications.send_invitation(co_applicant_id)


@task()
def send_interview_email(application_id):
    return notifications.send_interview_email(application_id)


@task()
def build_export(export_id):
    exports.build(export_id)
    return export_id
