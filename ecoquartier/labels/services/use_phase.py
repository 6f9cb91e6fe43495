"""Use-phase evaluation (F-43): the reminder three years after delivery and the structured
fields of the evaluation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.assessments import services as assessment_services
from ecoquartier.assessments.models import Assessment
from ecoquartier.core.activity import record
from ecoquartier.labels import permissions
from ecoquartier.labels.models import (
    UsePhaseEvaluation,
    UsePhaseReminder,
)
from ecoquartier.notifications.delivery import inline
from ecoquartier.referentiel.models import ReferentielVersion


def send_due_reminders(today=None):
    """Claim each due reminder once (a conditional UPDATE: of two runs, one wins), open the
    use-phase evaluation and e-mail the holders. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    due = UsePhaseReminder.objects.filter(due_on__lte=today, sent_at__isnull=True)
    with inline():  # Already in a worker: the holders are e-mailed here (labels/notifying.py).
        for reminder_id in due.values_list("pk", flat=True):
            with transaction.atomic():
                claimed = UsePhaseReminder.objects.filter(
                    pk=reminder_id, sent_at__isnull=True
                ).update(sent_at=timezone.now())
                if claimed:
                    _open_use_phase(
                        UsePhaseReminder.objects.select_related("project").get(pk=reminder_id)
                    )
                    sent += 1
    return sent


def _open_use_phase(reminder):
    """The platform itself opens the evaluation: no user to check, so the assessment is
    created with the assessments app's own row builder."""
    project = reminder.project
    version = ReferentielVersion.objects.current()
    assessment = Assessment.objects.create(
        project=project, version=version, kind=Assessment.Kind.USE_PHASE,
        title=_("Évaluation en phase d'usage — %s") % project, assessed_on=timezone.localdate(),
    )  # fmt: skip
    assessment_services.create_rows(assessment, version)
    evaluation = UsePhaseEvaluation.objects.create(assessment=assessment, project=project)
    reminder.evaluation = evaluation
    reminder.save(update_fields=["evaluation"])
    record(
        None, "label.use_phase_opened",
        _("Trois ans après la livraison : évaluation en phase d'usage ouverte"),
        targets=[project, assessment],
    )  # fmt: skip


@transaction.atomic
def save_use_phase(user, evaluation, data):
    evaluation = (
        UsePhaseEvaluation.objects.select_for_update()
        .select_related("assessment", "project")
        .get(pk=evaluation.pk)
    )
    if not permissions.can_edit_use_phase(user, evaluation):
        raise PermissionDenied
    if evaluation.assessment.status == Assessment.Status.VALIDATED:
        raise ValidationError(_("Cette évaluation est validée : elle ne se modifie plus."))
    changed = [f for f in UsePhaseEvaluation.FIELDS if getattr(evaluation, f) != data.get(f, "")]
    for name in changed:
        setattr(evaluation, name, data.get(name, ""))
    evaluation.save()
    if changed:
        record(
            user, "label.use_phase_saved", _("Évaluation en phase d'usage enregistrée"),
            targets=[evaluation.assessment, evaluation.project], changes={"fields": changed},
        )  # fmt: skip
    return evaluation
