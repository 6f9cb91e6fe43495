"""Applicants' pages: start, fill (with autosave), submit, co-applicants, messages, letter."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecoquartier.applications import permissions, services
from ecoquartier.applications.forms import (
    ActionForm,
    AnswersForm,
    AttachProjectForm,
    InterviewForm,
    InviteForm,
    MessageForm,
    StartForm,
    answers_data,
)
from ecoquartier.applications.formspec import display, visible_fields
from ecoquartier.applications.models import (
    AnswerFile,
    Answers,
    Application,
    ApplicationForm,
    CoApplicant,
    FormField,
    Message,
    Review,
)
from ecoquartier.applications.reads import answer_names, attachable_projects
from ecoquartier.applications.services import EDITABLE_STATES, with_fields
from ecoquartier.applications.views import documents, opinion_panel
from ecoquartier.applications.views.common import application_or_404, call_or_404, require
from ecoquartier.calls.models import Call
from ecoquartier.core import workflows
from ecoquartier.core.activity import timeline
from ecoquartier.core.files import serve_private_file
from ecoquartier.core.idempotency import once
from ecoquartier.core.merge import dump_base, fingerprint, fingerprints, parse_base
from ecoquartier.core.pagination import paginate
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import can_view_project


def _crumbs(application, *items):
    return [
        (_("Mes candidatures"), reverse("applications:mine")),
        (application.title, application.get_absolute_url()),
        *items,
    ]


def mine(request):
    queryset = permissions.visible_applications(request.user).select_related(
        "call", "organisation", "step"
    )
    page = paginate(request, queryset, 20)
    reviews = Review.objects.filter(reviewer=request.user, submitted_at__isnull=True).count()
    invitations = [
        {"co": co, "url": reverse("applications:accept", args=[services.invitation_token(co)])}
        for co in CoApplicant.objects.filter(
            email__iexact=request.user.email, accepted_at__isnull=True
        ).select_related("application__call", "application__organisation")[:MAX_INVITATIONS]
    ]
    return render(
        request,
        "applications/mine.html",
        {
            "page": page,
            "open_reviews": reviews,
            "invitations": invitations,
            "instructs": permissions.instructs_applications(request.user),
            "breadcrumb": [(_("Mes candidatures"), None)],
        },
    )


MAX_INVITATIONS = 50  # pending invitations listed (a person has a handful)


def for_project(request, slug):
    """The applications of a project that the user takes part in or instructs."""

    project = get_object_or_404(Project, slug=slug)
    if not can_view_project(request.user, project):
        raise Http404
    of_project = Application.objects.filter(project=project)
    queryset = (
        permissions.visible_applications(request.user, of_project)
        | permissions.instructed_by(request.user, of_project)
    ).select_related("call", "organisation", "step")
    return render(
        request,
        "applications/mine.html",
        {
            "page": paginate(request, queryset, 20),
            "project": project,
            "breadcrumb": [(project.name, project.get_absolute_url()), (_("Candidatures"), None)],
        },
    )


def start(request, slug):
    call = call_or_404(request.user, slug)
    if call.state != Call.State.PUBLISHED:
        raise Http404
    form = StartForm(request.POST or None, user=request.user, wanted=request.GET)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as key:
                application = services.start_application(
                    request.user,
                    call,
                    form.cleaned_data["organisation"],
                    form.cleaned_data["project"],
                    form.cleaned_data["title"],
                )
                key.done(reverse("applications:edit", kwargs={"pk": application.pk}))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Candidature créée : complétez le formulaire."))
            return redirect("applications:edit", pk=application.pk)
    return render(
        request,
        "applications/start.html",
        {
            "call": call,
            "form": form,
            "breadcrumb": [(call.title, call.get_absolute_url()), (_("Candidater"), None)],
        },
    )


def _answers_by_step(application):
    rows = list(
        Answers.objects.filter(application=application)
        .select_related("step", "form")
        .prefetch_related("files")
        .order_by("step__deadline")
    )

    forms = {
        f.pk: f
        for f in with_fields(ApplicationForm.objects.filter(pk__in=[r.form_id for r in rows]))
    }
    names = answer_names(
        [spec for form in forms.values() for spec in form.ordered_fields()],
        [row.data for row in rows],
    )
    result = []
    for row in rows:
        files = {f.key: f for f in row.files.all()}
        items = [
            (spec, display(spec, row.data.get(spec.key), names), files.get(spec.key))
            for spec in visible_fields(forms[row.form_id].ordered_fields(), row.data)
        ]
        result.append((row, forms[row.form_id], items))
    return result


def detail(request, pk):
    return _detail(request, application_or_404(request.user, pk))


def _detail(request, application, message_form=None, *, status=None, **opinion_forms):
    """The application page; `message_form`, a refused message, shows again with its errors
    (and so do the opinion and annotation forms: `opinion_panel.context`)."""
    user = request.user
    is_instructor = permissions.is_instructor(user, application)
    is_applicant = permissions.is_applicant(user, application)
    can_edit = permissions.can_edit(user, application)
    # Only what the user may fire now: no button for an action the engine would refuse (the
    # missing answers a submission waits for are listed by the page itself).
    allowed, _refused = workflows.actions(application, user)
    transitions = [
        (t, ActionForm(initial={"action": t.name, "version": application.version}, prefix=t.name))
        for t in allowed
    ]
    context = {
        "application": application,
        "answers": _answers_by_step(application),
        "transitions": transitions,
        "is_instructor": is_instructor,
        "is_applicant": is_applicant,
        "can_edit": can_edit,
        "editable": can_edit and application.state in EDITABLE_STATES,
        "breadcrumb": _crumbs(application)[:1] + [(application.title, None)],
    }
    if permissions.can_read_messages(user, application):
        context["thread"] = application.messages.select_related("author")
        context["message_form"] = message_form or MessageForm()
        context["co_applicants"] = application.co_applicants.select_related("organisation")
        events = permissions.visible_events(user, application, timeline(application))
        context["events"] = list(events[:50])
    if can_edit:
        context["invite_form"] = InviteForm()
    if context["editable"]:
        context["project_form"] = AttachProjectForm(
            initial={"project": application.project_id},
            projects=attachable_projects(application),
        )
    if context["editable"]:
        context["missing"] = services.missing_answers(application)
    if is_instructor:
        context["interview_form"] = InterviewForm()
    context.update(documents.panel(user, application))
    if permissions.can_see_reviews(user, application):
        context["reviews"] = application.reviews.select_related("reviewer").prefetch_related(
            "scores"
        )
    context.update(opinion_panel.context(user, application, **opinion_forms))
    status = status or (400 if message_form is not None else 200)
    return render(request, "applications/detail.html", context, status=status)


# The hidden input carrying the fingerprints of the answers a form was rendered with (core.merge).
BASE_FIELD = "_base"


def _answers_form(application, specs, data=None, files=None, values=None):
    return AnswersForm(
        data,
        files,
        specs=specs,
        organisation=application.organisation,
        data_values=values,
        projects=attachable_projects(application),
    )


def _value_keys(specs):
    return [spec.key for spec in specs if spec.kind != FormField.Kind.FILE]


def _conflict_message(spec, refused):
    mine = display(spec, refused, answer_names([spec], [{spec.key: refused}])) or _("(vide)")
    return _(
        "Cette réponse a été modifiée entre-temps, par une autre personne ou dans un autre "
        "onglet : la version enregistrée est affichée. Votre saisie n’a pas été enregistrée : "
        "« %(mine)s »."
    ) % {"mine": mine if len(mine) <= 300 else mine[:300] + "…"}


def _redisplay(application, specs, form, saved, base):
    """The form after a save that could not take everything: the stored answers, except
    what did not parse (shown as typed, with its error), and each conflict beside its field.
    Returns the form and the fingerprints it shows."""
    stored = saved.answers.data
    invalid = form.invalid_keys()
    data = answers_data(specs, stored)
    for key in invalid:
        data.setlist(key, form.data.getlist(key))
    shown = _answers_form(application, specs, data, values=stored)
    shown.is_valid()
    by_key = {spec.key: spec for spec in specs}
    for key in invalid:
        if by_key[key].kind == FormField.Kind.FILE:
            shown.add_error(key, form.errors[key])
    for key, (_stored, refused) in saved.conflicts.items():
        shown.add_error(key, _conflict_message(by_key[key], refused))
    new_base = fingerprints(stored, _value_keys(specs))
    for key in invalid & set(new_base):
        new_base[key] = (base or new_base).get(key, new_base[key])
    return shown, new_base


def edit(request, pk):
    application = application_or_404(request.user, pk)
    require(permissions.can_edit(request.user, application))
    if application.state not in EDITABLE_STATES:
        messages.info(request, _("Cette candidature n'est plus modifiable."))
        return redirect(application)
    answers = services.answers_for(application)
    specs = services.fields_of(answers)
    status = 200
    if request.method == "POST":
        form = _answers_form(application, specs, request.POST, request.FILES, answers.data)
        form.is_valid()
        base = parse_base(request.POST.get(BASE_FIELD))
        saved = services.save_answers(
            request.user,
            application,
            form.valid_values(form.sent_keys(base)),
            form.valid_files(),
            base=base,
        )
        if not form.errors and not saved.conflicts:
            if "submit" in request.POST:
                return _submit(request, application)
            messages.success(request, _("Brouillon enregistré."))
            return redirect("applications:edit", pk=application.pk)
        answers = saved.answers
        form, shown_base = _redisplay(application, specs, form, saved, base)
        status = 409 if saved.conflicts else 400 if form.errors else 200
    else:
        form = _answers_form(application, specs, values=answers.data)
        shown_base = fingerprints(answers.data, _value_keys(specs))
    files = {f.key: f for f in answers.files.all()}
    return render(
        request,
        "applications/edit.html",
        {
            "application": application,
            "answers": answers,
            "form": form,
            "base": dump_base(shown_base),
            "base_field": BASE_FIELD,
            "sections": _sections(answers.form, form, files),
            "missing": services.missing_answers(application),
            "breadcrumb": _crumbs(application, (_("Formulaire"), None)),
        },
        status=status,
    )


def _sections(app_form, form, files):

    loaded = with_fields(ApplicationForm.objects.filter(pk=app_form.pk)).get()
    return [
        (section, [(form[f.key], f, files.get(f.key)) for f in section.fields.all()])
        for section in loaded.sections.all()
    ]


def _submit(request, application):
    action = "resubmit" if application.state != "draft" else "submit"
    try:
        workflows.fire(application, action, request.user)
    except workflows.TransitionRefused as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("applications:edit", pk=application.pk)
    messages.success(request, _("Candidature déposée. Les instructeurs en sont informés."))
    return redirect(application)


@require_POST
def autosave(request, pk):
    """htmx: save what parses and what this tab changed, say when, list what is still
    missing, and send back the fingerprints of what the tab now shows (and, for a conflict,
    the field with the stored answer and why) so that its next save merges correctly."""
    application = application_or_404(request.user, pk)
    require(permissions.can_edit(request.user, application))
    if application.state not in EDITABLE_STATES:
        raise PermissionDenied
    answers = services.answers_for(application)
    specs = services.fields_of(answers)
    form = _answers_form(application, specs, request.POST)
    form.is_valid()
    base = parse_base(request.POST.get(BASE_FIELD))
    sent = form.valid_values(form.sent_keys(base))
    saved = services.save_answers(request.user, application, sent, base=base)
    stored = saved.answers.data
    # A field the tab shows as stored is now based on it; one it shows otherwise (not changed
    # here but elsewhere, or not parsed) keeps its base, so that it is never written unseen.
    new_base = fingerprints(stored, _value_keys(specs))
    for key in new_base:
        shows_stored = key in saved.conflicts or (
            key in sent and fingerprint(sent[key]) == new_base[key]
        )
        if not shows_stored and base is not None and key in base:
            new_base[key] = base[key]
    conflicts = []
    if saved.conflicts:
        shown, _base = _redisplay(application, specs, form, saved, base)
        by_key = {spec.key: spec for spec in specs}
        conflicts = [(shown[key], by_key[key]) for key in saved.conflicts]
    return render(
        request,
        "applications/includes/autosave_status.html",
        {
            "saved_at": timezone.localtime(),
            "errors": form.errors,
            "conflicts": conflicts,
            "base": dump_base(new_base),
            "base_field": BASE_FIELD,
            "missing": services.missing_answers(application),
        },
    )


@require_POST
def act(request, pk):
    application = application_or_404(request.user, pk)
    action = request.POST.get("action", "")
    form = ActionForm(request.POST, prefix=action)
    if not form.is_valid():
        messages.error(request, _("Action incomplète : rechargez la page."))
        return redirect(application)
    try:
        done = workflows.fire(
            application,
            form.cleaned_data["action"],
            request.user,
            comment=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except workflows.TransitionRefused as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        label = workflows.workflow_of(done)[form.cleaned_data["action"]].label
        messages.success(request, _("Action enregistrée : %s.") % label)
    return redirect(application)


@require_POST
def invite(request, pk):
    application = application_or_404(request.user, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            with once(request) as key:
                services.invite_co_applicant(
                    request.user, application, form.cleaned_data["email"], form.cleaned_data["role"]
                )
                key.done(application)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Invitation envoyée à %s.") % form.cleaned_data["email"])
    else:
        messages.error(request, _("Adresse électronique invalide."))
    return redirect(application)


@require_POST
def attach_project(request, pk):
    """Name the project the application is made for (its organisation's or a co-applicant's)."""
    application = application_or_404(request.user, pk)
    if not permissions.can_edit(request.user, application):
        raise PermissionDenied
    form = AttachProjectForm(request.POST, projects=attachable_projects(application))
    if not form.is_valid():
        messages.error(request, _("Choisissez un projet dans la liste."))
        return redirect(application)
    try:
        services.attach_project(request.user, application, form.cleaned_data["project"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Projet de la candidature : %s.") % form.cleaned_data["project"].name
        )
    return redirect(application)


def accept(request, token):
    try:
        co = services.accept_invitation(request.user, token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("applications:mine")
    messages.success(request, _("Vous avez rejoint la candidature."))
    return redirect(co.application)


@require_POST
def message(request, pk):
    application = application_or_404(request.user, pk)
    form = MessageForm(request.POST, request.FILES)
    thread = reverse("applications:detail", kwargs={"pk": pk}) + "#messages"
    if form.is_valid():
        body, attachment = form.cleaned_data["body"], form.cleaned_data["attachment"]
        try:
            with once(request) as key:
                services.post_message(request.user, application, body, attachment)
                key.done(thread)
        except ValidationError as error:
            form.add_error("attachment", error)
    if form.errors:
        # The page again, with the message typed and the reason beside the field.
        return _detail(request, application, message_form=form)
    messages.success(request, _("Message envoyé."))
    return redirect(thread)


def answer_file(request, pk, file_pk):
    application = application_or_404(request.user, pk)
    row = get_object_or_404(AnswerFile, pk=file_pk, answers__application=application)
    return serve_private_file(request, row.file, row.name)


def attachment(request, pk, message_pk):
    application = application_or_404(request.user, pk)
    # Reviewers see the file, not the thread: its attachments do not exist for them.
    if not permissions.can_read_messages(request.user, application):
        raise Http404
    row = get_object_or_404(Message, pk=message_pk, application=application)
    if not row.attachment:
        raise Http404
    return serve_private_file(request, row.attachment)
