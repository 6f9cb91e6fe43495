"""The form builder (F-30) and the evaluation grid (F-32), for the call's programme managers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecoquartier.applications import services
from ecoquartier.applications.forms import (
    AnswersForm,
    FieldForm,
    SectionForm,
    TemplateForm,
    criterion_formset,
)
from ecoquartier.applications.models import ApplicationForm, Criterion, FormField
from ecoquartier.applications.views.common import call_or_404, raise_404, require, visible_call
from ecoquartier.calls.models import CallStep
from ecoquartier.calls.permissions import can_manage_call
from ecoquartier.core.forms import formset_rows
from ecoquartier.core.idempotency import once
from ecoquartier.core.params import parse_id


def _managed_call(request, slug):
    call = call_or_404(request.user, slug)
    require(can_manage_call(request.user, call))
    return call


def _crumbs(call, *items):
    return [(call.title, call.get_absolute_url()), *items]


def forms(request, slug):
    call = _managed_call(request, slug)
    steps = list(call.steps.exclude(kind=CallStep.Kind.INTERVIEW).prefetch_related("forms"))
    if request.method == "POST":
        step = get_object_or_404(CallStep, pk=parse_id(request.POST.get("step")), call=call)
        form = TemplateForm(request.POST)
        if form.is_valid():
            with once(request) as key:
                created = services.create_form_from_template(
                    request.user, step, form.cleaned_data["template"]
                )
                key.done(reverse("applications:form_edit", kwargs={"pk": created.pk}))
            messages.success(
                request, _("Formulaire créé à partir du modèle : complétez-le puis publiez-le.")
            )
            return redirect("applications:form_edit", pk=created.pk)
    return render(
        request,
        "applications/manage/forms.html",
        {
            "call": call,
            "steps": [
                (
                    s,
                    list(s.forms.all()),
                    TemplateForm(
                        initial={
                            "template": "intention" if s.kind == "intention" else "application"
                        },
                        prefix=f"s{s.pk}",
                    ),
                )
                for s in steps
            ],
            "breadcrumb": _crumbs(call, (_("Formulaires"), None)),
        },
    )


def _builder_form(request, pk):
    form = get_object_or_404(ApplicationForm.objects.select_related("step__call__programme"), pk=pk)
    visible_call(request.user, form.step.call)
    require(can_manage_call(request.user, form.step.call))
    return form


def _edited_field(app_form, value):
    """The field of this version a manager edits (`?champ=` or the posted `field`), or None."""
    pk = parse_id(value) if value else None
    if pk is None:
        return None
    return get_object_or_404(FormField, pk=pk, section__form=app_form)


def form_edit(request, pk):
    app_form = _builder_form(request, pk)
    call = app_form.step.call
    section_form = SectionForm(prefix="section")
    edited = _edited_field(app_form, request.POST.get("field") or request.GET.get("champ"))
    field_form = FieldForm(prefix="field", form=app_form, instance=edited)
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "new_version":
                draft = services.editable_version(request.user, app_form)
                messages.success(
                    request,
                    _(
                        "Nouvelle version en brouillon : "
                        "les candidatures commencées gardent la leur."
                    ),
                )
                return redirect("applications:form_edit", pk=draft.pk)
            if op == "publish":
                services.publish_form(request.user, app_form)
                messages.success(request, _("Formulaire publié."))
                return redirect("applications:form_edit", pk=app_form.pk)
            if op == "add_section":
                section_form = SectionForm(request.POST, prefix="section")
                if section_form.is_valid():
                    with once(request) as key:
                        title = section_form.cleaned_data["title"]
                        services.add_section(request.user, app_form, title)
                        key.done(reverse("applications:form_edit", kwargs={"pk": app_form.pk}))
                    return redirect("applications:form_edit", pk=app_form.pk)
            if op == "edit_field" and edited is None:
                raise_404()
            if op in ("add_field", "edit_field"):
                field_form = FieldForm(request.POST, prefix="field", form=app_form, instance=edited)
                if field_form.is_valid():
                    back = reverse("applications:form_edit", kwargs={"pk": app_form.pk})
                    with once(request) as key:
                        services.save_field(request.user, field_form.instance)
                        key.done(back + "#fields")
                    messages.success(request, _("Champ modifié.") if edited else _("Champ ajouté."))
                    return redirect(back + "#fields")
        except ValidationError as error:
            if hasattr(error, "error_dict") and op in ("add_field", "edit_field"):
                field_form.add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
    loaded = services.with_fields(ApplicationForm.objects.filter(pk=app_form.pk)).get()
    return render(
        request,
        "applications/manage/form_edit.html",
        {
            "call": call,
            "app_form": app_form,
            "sections": loaded.sections.all(),
            "preview": _preview(loaded),
            "section_form": section_form,
            "field_form": field_form,
            "edited": edited,
            "kinds": FormField.Kind,
            "breadcrumb": _crumbs(
                call,
                (_("Formulaires"), reverse("applications:forms", kwargs={"slug": call.slug})),
                (str(app_form), None),
            ),
        },
    )


def _preview(loaded):
    """The form as an applicant sees it, every field shown and disabled: [(section, fields)]."""
    specs = loaded.ordered_fields()
    form = AnswersForm(specs=specs, organisation=None, prefix="apercu")
    for field in form.fields.values():
        field.disabled = True
        if isinstance(field, ModelChoiceField):  # the applicant's projects: none here
            field.queryset = field.queryset.none()
    return [
        (section, [form[spec.key] for spec in specs if spec.section_id == section.pk])
        for section in loaded.sections.all()
    ]


@require_POST
def field_op(request, pk, field_pk, op):
    app_form = _builder_form(request, pk)
    field = get_object_or_404(
        FormField.objects.select_related("section__form__step__call"),
        pk=field_pk,
        section__form=app_form,
    )
    try:
        if op == "up":
            services.move_field(request.user, field, -1)
        elif op == "down":
            services.move_field(request.user, field, +1)
        elif op == "delete":
            services.delete_field(request.user, field)
        else:
            raise_404()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.headers.get("HX-Request"):
        return render(
            request,
            "applications/manage/includes/sections.html",
            {
                "app_form": app_form,
                "sections": services.with_fields(ApplicationForm.objects.filter(pk=app_form.pk))
                .get()
                .sections.all(),
            },
        )
    return redirect(reverse("applications:form_edit", kwargs={"pk": app_form.pk}) + "#fields")


def grid(request, slug):
    call = _managed_call(request, slug)
    Formset = criterion_formset()
    queryset = Criterion.objects.filter(call=call)
    if request.method == "POST" and request.POST.get("op") == "default":
        services.create_default_grid(request.user, call)
        return redirect("applications:grid", slug=slug)
    formset = Formset(request.POST or None, queryset=queryset, prefix="criteria")
    if request.method == "POST" and formset.is_valid():
        with once(request) as key:  # its empty row creates a criterion
            services.save_grid(request.user, call, formset_rows(formset))
            key.done(reverse("applications:grid", kwargs={"slug": slug}))
        messages.success(request, _("Grille d'évaluation enregistrée."))
        return redirect("applications:grid", slug=slug)
    return render(
        request,
        "applications/manage/grid.html",
        {
            "call": call,
            "formset": formset,
            "breadcrumb": _crumbs(call, (_("Grille d'évaluation"), None)),
        },
    )
