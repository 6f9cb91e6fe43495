"""Every change to applications that is not a workflow transition: forms, answers,
co-applicants, messages, interviews, reviewers and reviews. Atomic, permission-checked, logged.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.applications import exports, formspec, permissions, scoring, tasks
from ecoquartier.applications.form_templates import DEFAULT_GRID, SCALE, TEMPLATES
from ecoquartier.applications.models import (
    AnswerFile,
    Answers,
    Application,
    ApplicationForm,
    CoApplicant,
    Criterion,
    Export,
    FormField,
    FormSection,
    Message,
    Review,
    Score,
    State,
)
from ecoquartier.applications.prefill import answers_from_project
from ecoquartier.applications.reads import (
    attachable_projects,
    filtered_applications,
    opening_step,
    serialisable,
)
from ecoquartier.calls.permissions import can_manage_call
from ecoquartier.core import jobs, uploads
from ecoquartier.core.activity import record
from ecoquartier.core.children import save_children
from ecoquartier.core.files import download_name
from ecoquartier.core.merge import merge

EDITABLE_STATES = (State.DRAFT, State.COMPLETION_REQUESTED)
INVITATION_SALT = "applications.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 30


def _on_commit(task, *args):
    transaction.on_commit(lambda: getattr(tasks, task).enqueue(*args))


# --- Forms (F-30) -------------------------------------------------------------------------------


def with_fields(queryset):
    return queryset.prefetch_related(
        Prefetch("sections", queryset=FormSection.objects.prefetch_related("fields"))
    )


def current_form(step):
    """The latest published version of the step's form, fields prefetched."""
    return (
        with_fields(ApplicationForm.objects.filter(step=step, published_at__isnull=False))
        .order_by("-version")
        .first()
    )


def _check_manager(user, step):
    if not can_manage_call(user, step.call):
        raise PermissionDenied


@transaction.atomic
def create_form_from_template(user, step, template_key, *, publish=False):
    _check_manager(user, step)
    form = build_form(step, template_key, publish=publish)
    record(user, "form.created", _("Formulaire créé : %s") % form, targets=[step.call])
    return form


def build_form(step, template_key, *, publish=False):
    """Copy a default template (form_templates.TEMPLATES) into a new version of the step's
    form. No permission check: callers check (or are the demo loader)."""
    template = TEMPLATES[template_key]
    latest = ApplicationForm.objects.filter(step=step).aggregate(v=Max("version"))["v"] or 0
    form = ApplicationForm.objects.create(
        step=step,
        version=latest + 1,
        title=str(template["title"]),
        intro=str(template["intro"]),
        published_at=timezone.now() if publish else None,
    )
    for s_pos, section in enumerate(template["sections"]):
        row = FormSection.objects.create(form=form, title=str(section["title"]), position=s_pos)
        FormField.objects.bulk_create(
            _field_from_data(row, f_pos, data) for f_pos, data in enumerate(section["fields"])
        )
    return form


def _field_from_data(section, position, data):
    key, op, value = (data.get("condition") or ["", "", ""])[:3]
    return FormField(
        section=section,
        position=position,
        key=data["key"],
        label=str(data["label"]),
        kind=data["kind"],
        required=data.get("required", False),
        help_text=str(data.get("help", "")),
        max_length=data.get("max_length"),
        choices=list(data.get("choices", [])),
        allowed_extensions=data.get("extensions", ""),
        max_size_mb=data.get("max_size_mb"),
        condition_key=key,
        condition_operator=op,
        condition_value=value,
    )


@transaction.atomic
def editable_version(user, form):
    """The draft to edit: `form` itself while unpublished; otherwise a copy as a new version,
    so that applications already started keep the version they began with."""
    _check_manager(user, form.step)
    if not form.is_published:
        return form
    existing = ApplicationForm.objects.filter(
        step=form.step, version__gt=form.version, published_at__isnull=True
    ).first()
    if existing:
        return existing
    latest = ApplicationForm.objects.filter(step=form.step).aggregate(v=Max("version"))["v"]
    copy = ApplicationForm.objects.create(
        step=form.step, version=latest + 1, title=form.title, intro=form.intro
    )
    for section in form.sections.prefetch_related("fields"):
        fields = list(section.fields.all())
        section.pk, section.form = None, copy
        section.save()
        for field in fields:
            field.pk, field.section = None, section
        FormField.objects.bulk_create(fields)
    record(
        user,
        "form.versioned",
        _("Nouvelle version du formulaire : %s") % copy,
        targets=[form.step.call],
    )
    return copy


def _check_draft(user, form):
    _check_manager(user, form.step)
    if form.is_published:
        raise ValidationError(_("Une version publiée ne se modifie pas : créez une version."))


@transaction.atomic
def add_section(user, form, title):
    _check_draft(user, form)
    position = (form.sections.aggregate(p=Max("position"))["p"] or 0) + 1
    return FormSection.objects.create(form=form, title=title, position=position)


@transaction.atomic
def save_field(user, field):
    """Create or update a field built by the builder's ModelForm."""
    form = field.section.form
    _check_draft(user, form)
    if field.pk is None:
        field.position = (field.section.fields.aggregate(p=Max("position"))["p"] or 0) + 1
    keys = FormField.objects.filter(section__form=form, key=field.key).exclude(pk=field.pk)
    if keys.exists():
        raise ValidationError({"key": _("Cet identifiant est déjà utilisé dans le formulaire.")})
    created = field.pk is None
    field.save()
    message = _("Champ ajouté : %s") if created else _("Champ modifié : %s")
    record(user, "form.field_saved", message % field.label, targets=[form.step.call])
    return field


@transaction.atomic
def delete_field(user, field):
    _check_draft(user, field.section.form)
    field.delete()


@transaction.atomic
def move_field(user, field, direction):
    """Swap the field with its neighbour (direction -1 up, +1 down) within its section."""
    _check_draft(user, field.section.form)
    siblings = list(field.section.fields.order_by("position", "pk"))
    for position, sibling in enumerate(siblings):
        sibling.position = position
    i = siblings.index(next(s for s in siblings if s.pk == field.pk))
    j = i + direction
    if 0 <= j < len(siblings):
        siblings[i].position, siblings[j].position = j, i
    FormField.objects.bulk_update(siblings, ["position"])


@transaction.atomic
def publish_form(user, form):
    _check_draft(user, form)
    if not FormField.objects.filter(section__form=form).exists():
        raise ValidationError(_("Ajoutez au moins un champ avant de publier le formulaire."))
    form.published_at = timezone.now()
    form.save(update_fields=["published_at"])
    record(user, "form.published", _("Formulaire publié : %s") % form, targets=[form.step.call])
    return form


# --- Applications -------------------------------------------------------------------------------


@transaction.atomic
def start_application(user, call, organisation, project=None, title="", *, label_file=False):
    """`label_file`: the labels app starts a label campaign's application (see opening_step)."""
    if not permissions.can_apply_as(user, organisation):
        raise PermissionDenied
    step, refusal = opening_step(call, label_file=label_file)
    if refusal:
        raise ValidationError(refusal)
    if project is not None and not project.holders.filter(pk=organisation.pk).exists():
        raise ValidationError(_("Ce projet n'est pas porté par cette organisation."))
    application = Application.objects.create(
        call=call,
        step=step,
        organisation=organisation,
        project=project,
        territory_id=organisation.territory_id,
        title=title or (project.name if project else str(organisation)),
        created_by=user,
    )
    answers_for(application)
    # On the application only: the call's and the project's timelines are read by others, who
    # must not learn of a draft before it is submitted.
    record(
        user,
        "application.created",
        _("Candidature commencée : %s") % application,
        targets=[application],
    )
    return application


def answers_for(application):
    """The answers row of the current step, created on the current form version if missing,
    with what the application's project already answers (prefill.py: editable answers)."""
    answers = Answers.objects.filter(application=application, step=application.step).first()
    if answers is None:
        form = current_form(application.step)
        if form is None:
            raise ValidationError(_("Le formulaire de cette étape n'est pas encore publié."))
        known = {}
        if application.project_id:
            specs = with_fields(ApplicationForm.objects.filter(pk=form.pk)).get().ordered_fields()
            known = answers_from_project(application.project, specs)
        answers = Answers.objects.create(
            application=application, step=application.step, form=form, data=known
        )
    return answers


def fields_of(answers):
    return with_fields(ApplicationForm.objects.filter(pk=answers.form_id)).get().ordered_fields()


def missing_answers(application):
    answers = answers_for(application)
    keys = set(answers.files.values_list("key", flat=True))
    return formspec.missing_answers(fields_of(answers), answers.data, keys)


@dataclass
class SavedAnswers:
    answers: Answers
    changes: dict  # {key: value written}
    conflicts: dict  # {key: (stored value kept, value refused)}


@transaction.atomic
def save_answers(user, application, values, files=None, *, base=None):
    """Merge `values` ({key: JSON value}) and uploaded `files` into the current step's answers,
    field by field (core.merge): with the `base` ({key: fingerprint}) the form was rendered
    with, only the fields its sender changed are written, and a field someone else changed
    meanwhile is a conflict that keeps the stored value. Without a base every value given is
    written. Keys not given are never touched.

    Used by the autosave as much as by the explicit save: partial input is kept."""
    if not permissions.can_edit(user, application):
        raise PermissionDenied
    if application.state not in EDITABLE_STATES:
        raise ValidationError(_("Cette candidature n'est plus modifiable."))
    for upload in (files or {}).values():
        uploads.validate(upload, "answer")
    answers = Answers.objects.select_for_update().get(pk=answers_for(application).pk)
    result = merge(answers.data, values, base)
    if result.changes:
        answers.data = {**answers.data, **result.changes}
        answers.save(update_fields=["data", "updated_at"])
    for key, upload in (files or {}).items():
        AnswerFile.objects.filter(answers=answers, key=key).delete()
        AnswerFile.objects.create(
            answers=answers,
            key=key,
            file=upload,
            name=download_name(upload.name)[:255],
            size=upload.size,
        )
    if result.changes or files:
        Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
    return SavedAnswers(answers, result.changes, result.conflicts)


# --- Co-applicants and messages -----------------------------------------------------------------


def invitation_token(co_applicant):
    return signing.dumps({"co": co_applicant.pk, "email": co_applicant.email}, salt=INVITATION_SALT)


@transaction.atomic
def invite_co_applicant(user, application, email, role):
    if not permissions.can_edit(user, application):
        raise PermissionDenied
    email = email.strip().lower()
    if CoApplicant.objects.filter(application=application, email=email).exists():
        raise ValidationError(_("Cette adresse est déjà invitée."))
    co = CoApplicant.objects.create(
        application=application, email=email, role=role, invited_by=user
    )
    record(
        user,
        "application.co_applicant_invited",
        _("Co-candidat invité : %s") % email,
        targets=[application, co],  # the invitation e-mail (notifying.py) reads `co`
    )
    return co


@transaction.atomic
def accept_invitation(user, token):
    """The signed link proves the e-mail was received; only the account of the invited address
    accepts it (whoever else holds the link is refused, and nothing changes)."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature as error:
        raise ValidationError(_("Ce lien d'invitation n'est pas valide ou a expiré.")) from error
    co = CoApplicant.objects.select_for_update().filter(pk=data["co"], email=data["email"]).first()
    if co is None:
        raise ValidationError(_("Cette invitation a été retirée."))
    if not permissions.may_accept_invitation(user, co):
        raise ValidationError(
            _(
                "Cette invitation a été adressée à une autre adresse électronique que celle de "
                "votre compte : connectez-vous avec le compte de cette adresse pour l'accepter."
            )
        )
    if co.accepted_at is None:
        co.user = user
        co.accepted_at = timezone.now()
        co.organisation = next(
            (m.organisation for m in user.memberships.select_related("organisation")), None
        )
        co.save()
        record(
            user,
            "application.co_applicant_joined",
            _("Co-candidat : %s a rejoint la candidature") % (co.organisation or user),
            targets=[co.application],
        )
    return co


@transaction.atomic
def attach_project(user, application, project):
    """Make `application` for `project`: one of its organisation's, or of a co-applicant who
    joined (reads.attachable_projects). What the project record says fills the answers still
    empty (prefill.py); the project answer names it."""
    if not permissions.can_edit(user, application):
        raise PermissionDenied
    if application.state not in EDITABLE_STATES:
        raise ValidationError(_("Cette candidature n'est plus modifiable."))
    if not attachable_projects(application).filter(pk=project.pk).exists():
        raise ValidationError(
            _("Ce projet n’est porté ni par l’organisation candidate ni par un co-candidat.")
        )
    Application.objects.filter(pk=application.pk).update(project=project, updated_at=timezone.now())
    application.project = project
    answers = Answers.objects.select_for_update().get(pk=answers_for(application).pk)
    specs = fields_of(answers)
    projects = {spec.key for spec in specs if spec.kind == FormField.Kind.PROJECT}
    filled = {
        key: value
        for key, value in answers_from_project(project, specs).items()
        if key in projects or answers.data.get(key) in (None, "", [])
    }
    if filled:
        answers.data = {**answers.data, **filled}
        answers.save(update_fields=["data", "updated_at"])
    record(
        user,
        "application.project_attached",
        _("Projet de la candidature : %s") % project,
        targets=[application],
    )
    return application


@transaction.atomic
def post_message(user, application, body, attachment=None):
    if not permissions.can_read_messages(user, application):
        raise PermissionDenied
    if attachment:
        uploads.validate(attachment, "message")
    message = Message.objects.create(
        application=application, author=user, body=body, attachment=attachment or ""
    )
    # The message is a target for its e-mail (notifying.py): author, body, attachment.
    record(
        user, "application.message", _("Message sur la candidature"), targets=[application, message]
    )
    return message


@transaction.atomic
def schedule_interview(user, application, when, note=""):
    """The optional interview slot after an intention note (two-step calls)."""
    if not permissions.is_instructor(user, application):
        raise PermissionDenied
    Application.objects.filter(pk=application.pk).update(interview_at=when, interview_note=note)
    application.interview_at, application.interview_note = when, note
    record(
        user,
        "application.interview_scheduled",
        _("Entretien proposé pour « %s »") % application,
        targets=[application, application.call],
    )
    return application


# --- Review (F-32) ------------------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def save_grid(user, call, rows):
    """Apply the grid editor's changed rows (core.forms.formset_rows: label, description,
    weight, descriptors) to the call's criteria."""
    if not can_manage_call(user, call):
        raise PermissionDenied
    if not save_children(call, Criterion, "call", rows):
        return
    record(
        user, "call.grid_saved", _("Grille d'évaluation enregistrée : %s") % call, targets=[call]
    )


def create_default_grid(user, call):
    if not can_manage_call(user, call):
        raise PermissionDenied
    return build_default_grid(call)


def build_default_grid(call):
    """The default grid (form_templates.DEFAULT_GRID) unless the call has one; no check."""
    if Criterion.objects.filter(call=call).exists():
        return list(call.criteria.all())
    return Criterion.objects.bulk_create(
        Criterion(
            call=call,
            label=str(label),
            weight=weight,
            descriptors=[str(d) for d in SCALE],
            position=i,
        )
        for i, (label, weight) in enumerate(DEFAULT_GRID)
    )


@transaction.atomic
def assign_reviewers(user, applications, reviewers):
    """Give each application each reviewer (once); returns the number of new assignments."""
    created = 0
    for application in applications:
        if not permissions.is_instructor(user, application):
            raise PermissionDenied
        assigned = []
        for reviewer in reviewers:
            _review, new = Review.objects.get_or_create(application=application, reviewer=reviewer)
            created += new
            if new:
                assigned.append(reviewer.pk)
        # `assigned`: who is new on this file, hence told of it (notifying.py).
        record(
            user,
            "application.reviewers_assigned",
            _("Évaluateurs désignés : %s") % ", ".join(str(r) for r in reviewers),
            targets=[application],
            changes={"assigned": assigned},
        )
    return created


def _own_review(user, review):
    if review.reviewer_id != user.pk:
        raise PermissionDenied
    if review.is_submitted:
        raise ValidationError(_("Cette évaluation est déjà soumise."))


@transaction.atomic
def declare_conflict(user, review, has_conflict, note=""):
    """The first thing a reviewer does. A declared conflict blocks scoring for good."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _own_review(user, review)
    if review.conflict:
        raise ValidationError(_("Votre déclaration est déjà enregistrée."))
    review.conflict = Review.Conflict.DECLARED if has_conflict else Review.Conflict.NONE
    review.conflict_note = note
    if has_conflict:
        review.submitted_at = timezone.now()
    review.save()
    record(
        user,
        "review.conflict_declared" if has_conflict else "review.no_conflict",
        _("Conflit d'intérêts déclaré") if has_conflict else _("Absence de conflit déclarée"),
        targets=[review.application],
    )
    return review


@transaction.atomic
def save_review(user, review, scores, *, comment="", recommendation="", submit=False):
    """Save the draft (`scores`: {criterion pk: (value, comment)}); submitting requires every
    criterion scored and a recommendation, then refreshes the application's score."""
    review = Review.objects.select_for_update().select_related("application").get(pk=review.pk)
    _own_review(user, review)
    if review.conflict != Review.Conflict.NONE:
        raise PermissionDenied(_("Déclarez d'abord l'absence de conflit d'intérêts."))
    criteria = {c.pk: c for c in Criterion.objects.filter(call_id=review.application.call_id)}
    Score.objects.filter(review=review).delete()
    Score.objects.bulk_create(
        Score(review=review, criterion_id=pk, value=value, comment=note or "")
        for pk, (value, note) in scores.items()
        if pk in criteria and value is not None
    )
    review.comment, review.recommendation = comment, recommendation
    weighted = [
        (v, criteria[pk].weight)
        for pk, (v, _n) in scores.items()
        if pk in criteria and v is not None
    ]
    review.total = scoring.review_total(weighted)
    if submit:
        errors = []
        if len(weighted) < len(criteria):
            errors.append(_("Notez chaque critère avant de soumettre."))
        if not recommendation:
            errors.append(_("Donnez votre avis (favorable, réservé ou défavorable)."))
        if errors:
            raise ValidationError(errors)
        review.submitted_at = timezone.now()
    review.save()
    if submit:
        scoring.refresh(review.application)
        record(
            user,
            "review.submitted",
            _("Évaluation soumise pour « %s »") % review.application,
            targets=[review.application],
        )
    return review


# --- Exports (F-34) -----------------------------------------------------------------------------


class DirectExport(NamedTuple):
    """An export built in the request: `rows` is a lazy iterator of lists."""

    name: str
    format: str
    rows: Iterator


def export_applications(user, call, content, fmt, params, *, background=False):
    """Export the applications `user` instructs in `call`, filtered as on screen (`params`):
    a DirectExport (CSV, streamed; a small XLSX) or, for a large XLSX or when asked, a
    background Export job."""
    if not permissions.can_instruct_call(user, call):
        raise PermissionDenied
    queryset = filtered_applications(user, call, params)
    if background or (fmt == Export.Format.XLSX and queryset.count() > exports.DIRECT_XLSX_LIMIT):
        return start_export(user, call, content, fmt, serialisable(params))
    record(
        user,
        "application.exported",
        _("Export téléchargé : %(content)s (%(format)s)")
        % {"content": Export.Content(content).label, "format": Export.Format(fmt).label},
        targets=[call],
    )
    rows = exports.ROWS[content](call, queryset)
    return DirectExport(name=f"{call.slug}-{content}", format=fmt, rows=rows)


def start_export(user, call, content, fmt, filters):
    """Queue an export of the applications `user` instructs in `call`, filtered as on screen."""
    if not permissions.can_instruct_call(user, call):
        raise PermissionDenied
    with transaction.atomic():
        export = Export.objects.create(
            call=call, user=user, content=content, format=fmt, filters=filters
        )
        record(
            user,
            "application.export_started",
            _("Export demandé : %(export)s") % {"export": export},
            targets=[call],
        )
        jobs.enqueue(export)
    return export


def retry_export(user, export):
    """Start a failed export again, from its page (only its author sees it)."""
    if export.user_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        if jobs.retry(export):
            record(
                user,
                "application.export_retried",
                _("Export relancé : %(export)s") % {"export": export},
                targets=[export.call],
            )
    return export
