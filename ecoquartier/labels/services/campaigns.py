"""Campaigns (a labelling call with its calendar) and label files (an application through
the applications app), F-42."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.applications import services as application_services
from ecoquartier.applications.models import ApplicationForm, FormField
from ecoquartier.assessments.models import Assessment
from ecoquartier.calls.models import Call, CallStep
from ecoquartier.calls.permissions import can_manage_programme
from ecoquartier.calls.services import unique_slug
from ecoquartier.core import workflows
from ecoquartier.core.activity import record
from ecoquartier.labels import performance, permissions, rules
from ecoquartier.labels.models import Campaign, LabelFile, LabelScheme
from ecoquartier.labels.services.history import region_of
from ecoquartier.referentiel.models import Commitment, ReferentielVersion

COMMITMENT_KEY = "engagement-{}"


CALENDAR = (
    # (key, call step kind, French label)
    ("pre_application", CallStep.Kind.INTENTION, "Pré-candidature"),
    ("file_deadline", CallStep.Kind.APPLICATION, "Dépôt des dossiers de labellisation"),
    ("expertise_end", CallStep.Kind.OTHER, "Fin de la période d'expertise et des visites"),
    ("local_commissions", CallStep.Kind.OTHER, "Commissions locales (octobre)"),
    ("national_commission", CallStep.Kind.OTHER, "Commission nationale"),
    ("ceremony", CallStep.Kind.OTHER, "Cérémonie de remise des labels"),
)


@transaction.atomic
def create_campaign(user, programme, year, calendar, *, perimeter, scheme=None, opens_at=None,
                    stages=(), call=None):  # fmt: skip
    """A labelling call with its calendar as call steps, the stages open to files (all the
    scheme's commission stages when none is given) and the label file form published.

    `call`: a labelling call of the programme published without its campaign (the demo's) gets
    the campaign instead of a new call; it must have no steps yet."""
    if not can_manage_programme(user, programme):
        raise PermissionDenied
    scheme = scheme or LabelScheme.objects.current(date(year, 1, 1))
    problems = calendar_problems(calendar)
    if Campaign.objects.filter(year=year).exists():
        problems.append(_("Une campagne %s existe déjà.") % year)
    if any(s.scheme_id != scheme.pk or not s.by_commission for s in stages):
        problems.append(_("Ces étapes ne s'obtiennent pas en commission dans ce parcours."))
    if call is not None and (
        call.programme_id != programme.pk or call.kind != Call.Kind.LABELLING or call.steps.exists()
    ):
        problems.append(_("Cet appel ne peut pas devenir une campagne de labellisation."))
    if problems:
        raise ValidationError(problems)
    title = _("Campagne de labellisation ÉcoQuartier %s") % year
    if call is None:
        call = Call.objects.create(
            programme=programme,
            kind=Call.Kind.LABELLING,
            title=title,
            slug=unique_slug(Call, title, "campagne"),
            summary=_("La campagne annuelle du label ÉcoQuartier (%s).") % scheme.name,
            perimeter=perimeter,
            opens_at=opens_at,
            state=Call.State.PUBLISHED,
            published_at=timezone.now(),
            created_by=user,
        )
    steps = {
        key: CallStep.objects.create(call=call, kind=kind, label=label, deadline=calendar[key])
        for key, kind, label in CALENDAR
    }
    campaign = Campaign.objects.create(
        call=call, scheme=scheme, year=year,
        file_step=steps["file_deadline"], expertise_step=steps["expertise_end"],
    )  # fmt: skip
    campaign.stages.set(stages)
    _publish_file_form(user, steps["file_deadline"])
    record(
        user, "label.campaign_created", str(call.title), targets=[campaign, call],
        changes={"stages": [None, [s.code for s in campaign.open_stages()]]},
    )  # fmt: skip
    return campaign


def calendar_problems(calendar):
    """French reasons why `calendar` ({key: datetime} of CALENDAR) cannot be a campaign's."""
    missing = [label for key, _kind, label in CALENDAR if not calendar.get(key)]
    if missing:
        return [_("Calendrier incomplet : %s.") % ", ".join(missing)]
    problems = []
    for (key, _k, label), (before, _b, before_label) in zip(CALENDAR[1:], CALENDAR, strict=False):
        if calendar[key] < calendar[before]:
            problems.append(
                _("« %(step)s » doit suivre « %(before)s ».")
                % {"step": label, "before": before_label}
            )
    return problems


def _publish_file_form(user, step):
    """The application form of the file step: one long answer per commitment of the current
    référentiel, built and published through the applications services."""
    form = ApplicationForm.objects.create(
        step=step, version=1, title=_("Dossier de labellisation"),
        intro=_("Réponses aux 20 engagements du référentiel ÉcoQuartier."),
    )  # fmt: skip
    section = application_services.add_section(user, form, _("Les engagements"))
    application_services.save_field(
        user, FormField(section=section, key="project", label=_("Projet"), kind="project")
    )
    version = ReferentielVersion.objects.current()
    for commitment in Commitment.objects.of_version(version) if version else []:
        application_services.save_field(
            user,
            FormField(
                section=section,
                key=COMMITMENT_KEY.format(commitment.number),
                label=str(commitment),
                kind=FormField.Kind.LONG_TEXT,
                required=True,
                max_length=3000,
            ),
        )
    application_services.publish_form(user, form)


def prefill_commitments(project):
    """{number: narrative} from the project's latest self-assessment (empty if none)."""
    latest = (
        Assessment.objects.filter(project=project, kind=Assessment.Kind.SELF_ASSESSMENT)
        .order_by("-assessed_on", "-pk")
        .first()
    )
    if latest is None:
        return {}
    return dict(latest.answers.values_list("commitment__number", "narrative"))


@transaction.atomic
def apply(user, campaign, project, *, organisation, target_stage, commitments):
    """Apply to the campaign for `target_stage`: the rules of the stage first, then the
    application is started, answered and submitted through the applications app. A stage that
    `requires_indicators` needs a target and a measurement of a national-base indicator, recorded
    in the indicators app (the file's performance check reads them from there)."""
    if not permissions.can_apply(user, project):
        raise PermissionDenied
    if organisation not in permissions.applicant_organisations(user, project):
        raise PermissionDenied
    if target_stage not in campaign.open_stages():
        raise ValidationError(_("Cette étape ne fait pas partie de la campagne."))
    problems = rules.refusals(project, target_stage)
    if LabelFile.objects.filter(campaign=campaign, project=project).exists():
        problems.append(_("Ce projet a déjà un dossier dans cette campagne."))
    if target_stage.requires_indicators and not performance.has_base_values(project):
        problems.append(
            _(
                "Pour l'étape « %s », fixez l'objectif et enregistrez au moins une mesure d'un "
                "indicateur du socle national, sur la page Indicateurs du projet."
            )
            % target_stage.name
        )
    if problems:
        raise ValidationError(problems)
    application = application_services.start_application(
        user, campaign.call, organisation, project,
        title=f"{project} — {target_stage.short_name}", label_file=True,
    )  # fmt: skip
    answers = {COMMITMENT_KEY.format(n): text for n, text in commitments.items()}
    application_services.save_answers(user, application, {"project": project.pk, **answers})
    try:
        application = workflows.fire(application, "submit", user)
    except workflows.TransitionRefused as error:
        raise ValidationError(error.messages) from error
    file = LabelFile.objects.create(
        campaign=campaign, application=application, project=project, target_stage=target_stage,
        region=region_of(project),
    )  # fmt: skip
    record(
        user, "label.file_submitted",
        _("Dossier de labellisation déposé : « %s »") % target_stage.name,
        targets=[file, project, campaign],
    )  # fmt: skip
    return file
