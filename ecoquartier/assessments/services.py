"""Operations that change assessments. Each is atomic, permission-checked and logged (F-04).

Views, the API and other apps (the label campaign creates label expertises) call these functions;
status changes live in workflow.py.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.assessments import permissions
from ecoquartier.assessments.models import (
    NARRATIVE_MAX_LENGTH,
    Answer,
    Assessment,
    DimensionSynthesis,
    Evidence,
    Gap,
    Level,
    Report,
)
from ecoquartier.core import jobs, uploads
from ecoquartier.core.activity import record
from ecoquartier.core.files import download_name
from ecoquartier.referentiel.models import Commitment, ReferentielVersion


class StaleEditError(Exception):
    """Someone saved the same item since the form was loaded; `current` is their version."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


def create_assessment(
    user,
    project,
    kind,
    *,
    assessed_on=None,
    title="",
    lead_expert=None,
    co_experts=(),
    version=None,
):
    """Open an assessment for `user` (permissions.can_create_assessment): holders their
    self-assessment, the State services overseeing the project an expertise naming its lead
    expert. Nobody names themself an expert."""
    if not permissions.can_create_assessment(user, project, kind):
        raise PermissionDenied
    _refuse_self_naming(user, lead_expert, co_experts)
    return open_assessment(
        user,
        project,
        kind,
        assessed_on=assessed_on,
        title=title,
        lead_expert=lead_expert,
        co_experts=co_experts,
        version=version,
    )


def _refuse_self_naming(user, lead_expert, co_experts, assessment=None):
    """A clear refusal, on the field that names `user` (forms show it beside that field)."""
    for field, experts in (("lead_expert", [lead_expert]), ("co_experts", co_experts)):
        if permissions.names_themself(user, experts, assessment):
            raise ValidationError(
                {
                    field: _(
                        "Vous ne pouvez pas vous désigner vous-même expert : un expert est "
                        "désigné par le service de l'État ou par l'expert référent."
                    )
                }
            )


def open_assessment(
    user,
    project,
    kind,
    *,
    assessed_on=None,
    title="",
    lead_expert=None,
    co_experts=(),
    version=None,
):
    """Open an assessment with one empty answer per commitment of `version` (default: current).

    No permission check: `create_assessment` checks for people; the label workflow (its
    campaign's managers name the experts) checks its own rules before calling this."""
    version = version or ReferentielVersion.objects.current()
    if version is None:
        raise ValidationError(_("Le référentiel n'est pas chargé."))
    with transaction.atomic():
        assessment = Assessment.objects.create(
            project=project,
            version=version,
            kind=kind,
            title=title,
            assessed_on=assessed_on or timezone.localdate(),
            lead_expert=lead_expert,
            created_by=user,
        )
        assessment.co_experts.set(co_experts)
        create_rows(assessment, version)
        record(
            user,
            "assessment.created",
            _("%(assessment)s ouverte") % {"assessment": assessment},
            targets=[assessment, project],
        )
    return assessment


def create_rows(assessment, version):
    """One empty answer per commitment and one synthesis per dimension (also used by demo data)."""
    commitments = Commitment.objects.of_version(version)
    Answer.objects.bulk_create(Answer(assessment=assessment, commitment=c) for c in commitments)
    DimensionSynthesis.objects.bulk_create(
        DimensionSynthesis(assessment=assessment, dimension=d) for d in version.dimensions.all()
    )


def _ensure_writable(user, assessment):
    """Checked on the caller's copy, then again on fresh status inside the transaction."""
    if not permissions.can_write_assessment(user, assessment):
        raise PermissionDenied
    still_draft = Assessment.objects.filter(
        pk=assessment.pk, status=Assessment.Status.DRAFT
    ).exists()
    if not still_draft:
        raise PermissionDenied


def save_answer(user, answer, *, level, narrative, revision):
    """Save one commitment. Raises StaleEditError instead of overwriting a newer save."""
    if level is not None and level not in Level.values:
        raise ValidationError(_("Niveau de maturité inconnu."))
    if len(narrative) > NARRATIVE_MAX_LENGTH:
        raise ValidationError(_("L'analyse dépasse la longueur maximale."))
    assessment = answer.assessment
    with transaction.atomic():
        _ensure_writable(user, assessment)
        current = (
            # Lock only the row itself: PostgreSQL refuses to lock the outer-joined author.
            Answer.objects.select_for_update(of=("self",))
            .select_related("commitment", "updated_by")
            .get(pk=answer.pk)
        )
        if current.revision != revision:
            raise StaleEditError(current)
        changes = {}
        if current.level != level:
            changes["level"] = [current.level, level]
        if current.narrative != narrative:
            changes["narrative"] = [len(current.narrative), len(narrative)]
        if not changes:
            return current
        current.level, current.narrative = level, narrative
        current.revision += 1
        current.updated_by = user
        current.save()
        record(
            user,
            "assessment.answer_saved",
            _("Engagement %(number)s enregistré (niveau : %(level)s)")
            % {
                "number": current.commitment.number,
                "level": current.get_level_display() or _("non renseigné"),
            },
            targets=[assessment],
            changes=changes,
        )
    return current


def save_synthesis(user, synthesis, *, text, revision):
    assessment = synthesis.assessment
    with transaction.atomic():
        _ensure_writable(user, assessment)
        current = (
            DimensionSynthesis.objects.select_for_update(of=("self",))
            .select_related("dimension", "updated_by")
            .get(pk=synthesis.pk)
        )
        if current.revision != revision:
            raise StaleEditError(current)
        if current.text == text:
            return current
        current.text = text
        current.revision += 1
        current.updated_by = user
        current.save()
        record(
            user,
            "assessment.synthesis_saved",
            _("Synthèse de la dimension %(number)s enregistrée")
            % {"number": current.dimension.number},
            targets=[assessment],
        )
    return current


def add_evidence(user, answer, *, uploaded_file, title=""):
    uploads.validate(uploaded_file, "evidence")
    with transaction.atomic():
        _ensure_writable(user, answer.assessment)
        evidence = Evidence(
            answer=answer,
            title=title or download_name(uploaded_file.name)[:200],
            size=uploaded_file.size,
            uploaded_by=user,
        )
        evidence.file.save(uploaded_file.name, uploaded_file, save=False)
        evidence.save()
        record(
            user,
            "assessment.evidence_added",
            _("Pièce « %(title)s » ajoutée à l'engagement %(number)s")
            % {"title": evidence.title, "number": answer.commitment.number},
            targets=[answer.assessment],
        )
    return evidence


def remove_evidence(user, evidence):
    answer = evidence.answer
    with transaction.atomic():
        _ensure_writable(user, answer.assessment)
        evidence.delete()
        record(
            user,
            "assessment.evidence_removed",
            _("Pièce « %(title)s » retirée de l'engagement %(number)s")
            % {"title": evidence.title, "number": answer.commitment.number},
            targets=[answer.assessment],
        )
    # The file goes once the row is gone for good.
    transaction.on_commit(lambda: evidence.file.delete(save=False))


def add_gap(user, answer, *, description, proposal, priority, owner="", due_date=None):
    with transaction.atomic():
        _ensure_writable(user, answer.assessment)
        gap = Gap(
            answer=answer,
            description=description,
            proposal=proposal,
            priority=priority,
            owner=owner,
            due_date=due_date,
            created_by=user,
        )
        gap.full_clean(exclude=["answer", "created_by"])
        gap.save()
        record(
            user,
            "assessment.gap_added",
            _("Écart relevé sur l'engagement %(number)s : %(gap)s")
            % {"number": answer.commitment.number, "gap": gap},
            targets=[answer.assessment, answer.assessment.project],
        )
    return gap


def set_gap_status(user, gap, status):
    assessment = gap.answer.assessment
    if not permissions.can_follow_up_gaps(user, assessment):
        raise PermissionDenied
    with transaction.atomic():
        current = Gap.objects.select_for_update().get(pk=gap.pk)
        if current.status == status:
            return current
        current.status = status
        current.closed_at = timezone.now() if status == Gap.Status.CLOSED else None
        current.save(update_fields=["status", "closed_at"])
        record(
            user,
            "assessment.gap_closed" if status == Gap.Status.CLOSED else "assessment.gap_reopened",
            _("Écart %(state)s : %(gap)s")
            % {"state": current.get_status_display().lower(), "gap": current},
            targets=[assessment, assessment.project],
        )
    return current


def set_experts(user, assessment, *, lead_expert, co_experts):
    if not permissions.can_manage_experts(user, assessment):
        raise PermissionDenied
    _refuse_self_naming(user, lead_expert, co_experts, assessment)
    return name_experts(user, assessment, lead_expert=lead_expert, co_experts=co_experts)


def name_experts(user, assessment, *, lead_expert, co_experts):
    """Replace the experts of `assessment`. No permission check: `set_experts` checks for
    people; the label workflow checks its own rules (its campaign's managers) first."""
    co_experts = [e for e in co_experts if e != lead_expert]
    with transaction.atomic():
        before = {
            "lead_expert": assessment.lead_expert_id,
            "co_experts": sorted(e.pk for e in assessment.co_experts.all()),
        }
        assessment.lead_expert = lead_expert
        assessment.save(update_fields=["lead_expert", "updated_at"])
        assessment.co_experts.set(co_experts)
        after = {
            "lead_expert": lead_expert.pk if lead_expert else None,
            "co_experts": sorted(e.pk for e in co_experts),
        }
        record(
            user,
            "assessment.experts_assigned",
            _("Experts de « %(assessment)s » désignés") % {"assessment": assessment},
            targets=[assessment],
            changes={key: [before[key], after[key]] for key in before},
        )
    return assessment


def request_report(user, assessment):
    """Queue a PDF report; the page polls the Report row until it is ready."""
    if not permissions.can_read_assessment(user, assessment):
        raise PermissionDenied
    with transaction.atomic():
        report = Report.objects.create(assessment=assessment, requested_by=user)
        record(
            user,
            "assessment.report_requested",
            _("Rapport PDF demandé pour « %(assessment)s »") % {"assessment": assessment},
            targets=[assessment],
        )
        jobs.enqueue(report)
    return report


def retry_report(user, report):
    """Start a failed report again, from its page."""
    if not permissions.can_read_assessment(user, report.assessment):
        raise PermissionDenied
    with transaction.atomic():
        if jobs.retry(report):
            record(
                user,
                "assessment.report_retried",
                _("Génération du rapport PDF relancée pour « %(assessment)s »")
                % {"assessment": report.assessment},
                targets=[report.assessment],
            )
    return report
