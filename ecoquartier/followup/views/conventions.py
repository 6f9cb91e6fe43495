"""The follow-up's « Convention » section: its conventions (the first one and its avenants) with
their state, parties, PDF and history; preparing and editing a draft; the workflow's buttons;
signing for a party with the signed scan."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.core import workflows
from ecoquartier.core.files import serve_private_file
from ecoquartier.core.idempotency import once
from ecoquartier.core.models import TransitionLog
from ecoquartier.core.params import raw_text
from ecoquartier.followup import conventions, permissions
from ecoquartier.followup.conventions_forms import ConventionForm, SignForm
from ecoquartier.followup.models import Convention, ConventionParty, ConventionState
from ecoquartier.followup.views.common import errors, follow_up_or_404, section_context
from ecoquartier.organisations.permissions import organisation_ids

LIVE = (ConventionState.DRAFT, ConventionState.SENT, ConventionState.SIGNED,
        ConventionState.IN_FORCE)  # fmt: skip


def _conventions(follow_up):
    parties = ConventionParty.objects.select_related("organisation", "signed_by").order_by(
        "order", "pk"
    )
    return list(
        Convention.objects.filter(follow_up=follow_up)
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("-number")
    )


def _logs(rows):
    """Each convention's TransitionLog rows, oldest first: one query for all."""
    by_id = {str(c.pk): [] for c in rows}
    logs = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Convention), object_id__in=list(by_id)
    ).select_related("actor", "event")
    states = dict(ConventionState.choices)
    for log in logs.order_by("created_at", "pk"):
        by_id[log.object_id].append({
            "at": log.created_at, "actor": log.actor, "summary": log.event.summary,
            "from": states.get(log.from_state, log.from_state),
            "to": states.get(log.to_state, log.to_state), "comment": log.comment,
        })  # fmt: skip
    return by_id


def _party_rows(request, follow_up, convention):
    return [
        {
            "party": party,
            "scan_url": reverse("followup:convention_scan", args=[follow_up.pk, party.pk])
            if party.signed_scan
            else None,
        }
        for party in convention.parties.all()
    ]


def _signable(user, convention):
    """The parties of `convention` the user may sign for now (ids, from the prefetched rows)."""
    if convention.state != ConventionState.SENT or not user.is_authenticated:
        return []
    mine = organisation_ids(user)
    return [
        p.pk for p in convention.parties.all() if p.signed_on is None and p.organisation_id in mine
    ]


def _page(request, follow_up, *, sign_form=None, status=200):
    user = request.user
    rows = _conventions(follow_up)
    logs = _logs(rows)
    may_prepare = permissions.can_prepare_convention(user, follow_up)
    amended_ids = {c.amends_id for c in rows if c.amends_id}
    items = []
    for convention in rows:
        offered, refused = ([], [])
        if convention.state in LIVE:  # at most two: the convention in force and its avenant
            offered, refused = workflows.actions(convention, user)
        signable = _signable(user, convention)
        form = None
        if signable:
            parties = ConventionParty.objects.filter(pk__in=signable).select_related("organisation")
            posted = sign_form is not None and sign_form.convention_pk == convention.pk
            form = sign_form if posted else SignForm(parties=parties, prefix=f"c{convention.pk}")
        items.append({
            "convention": convention,
            "parties": _party_rows(request, follow_up, convention),
            "buttons": [t for t in offered if t.name not in conventions.NOT_BUTTONS],
            "refused": [(t, r) for t, r in refused if t.name not in conventions.NOT_BUTTONS],
            "can_edit": may_prepare and convention.state == ConventionState.DRAFT,
            "can_amend": may_prepare and convention.state == ConventionState.IN_FORCE
            and convention.pk not in amended_ids,
            "sign_form": form,
            "log": logs[str(convention.pk)],
        })  # fmt: skip
    context = section_context(request, follow_up, "followup:conventions")
    context.update(items=items, can_prepare=may_prepare and not rows)
    return render(request, "followup/conventions/section.html", context, status=status)


@require_safe
def section(request, pk):
    return _page(request, follow_up_or_404(request, pk))


def _convention_or_404(follow_up, convention_pk):
    return get_object_or_404(
        Convention.objects.select_related("follow_up"), pk=convention_pk, follow_up=follow_up
    )


def _form_page(request, follow_up, form, convention=None):
    title = _("Modifier la convention") if convention else _("Préparer la convention")
    context = section_context(
        request, follow_up, "followup:conventions",
        (_("Convention"), reverse("followup:conventions", args=[follow_up.pk])), (title, None),
    )  # fmt: skip
    context.update(form=form, convention=convention, title=title)
    return render(
        request, "followup/conventions/form.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def prepare(request, pk):
    follow_up = follow_up_or_404(request, pk)
    if not permissions.can_prepare_convention(request.user, follow_up):
        raise PermissionDenied
    existing = Convention.objects.filter(follow_up=follow_up).exists()
    if existing and request.method != "POST":
        return redirect("followup:conventions", follow_up.pk)
    form = ConventionForm(
        request.POST or None, follow_up=follow_up, initial=ConventionForm.initial_for(follow_up)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as key:
                conventions.prepare_convention(
                    request.user, follow_up, parties=form.parties(), **form.values()
                )
                key.done(reverse("followup:conventions", args=[follow_up.pk]))
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(
                request, _("Le projet de convention est prêt : relisez-le, puis envoyez-le.")
            )
            return redirect("followup:conventions", follow_up.pk)
    return _form_page(request, follow_up, form)


@require_http_methods(["GET", "POST"])
def edit(request, pk, convention_pk):
    follow_up = follow_up_or_404(request, pk)
    convention = _convention_or_404(follow_up, convention_pk)
    if not permissions.can_prepare_convention(request.user, follow_up):
        raise PermissionDenied
    if convention.state != ConventionState.DRAFT:
        messages.error(
            request,
            _("La convention est « %s » : elle ne se modifie plus.")
            % convention.get_state_display(),
        )
        return redirect("followup:conventions", follow_up.pk)
    form = ConventionForm(
        request.POST or None, follow_up=follow_up,
        initial=ConventionForm.initial_for(follow_up, convention),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            conventions.change_convention(
                request.user, convention, parties=form.parties(),
                expected_version=request.POST.get("version") or None, **form.values(),
            )  # fmt: skip
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("Le projet de convention est modifié."))
            return redirect("followup:conventions", follow_up.pk)
    return _form_page(request, follow_up, form, convention)


@require_POST
def transition(request, pk, convention_pk, name):
    """A button of the workflow (send, put in force, close)."""
    follow_up = follow_up_or_404(request, pk)
    convention = _convention_or_404(follow_up, convention_pk)
    if name in conventions.NOT_BUTTONS:
        raise Http404
    try:
        workflows.fire(
            convention, name, request.user, comment=raw_text(request.POST, "comment")[:2000],
            expected_version=request.POST.get("version") or None,
        )  # fmt: skip
    except workflows.TransitionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("La convention est désormais « %s ».") % convention.get_state_display()
        )
    return redirect("followup:conventions", follow_up.pk)


@require_POST
def amend(request, pk, convention_pk):
    follow_up = follow_up_or_404(request, pk)
    convention = _convention_or_404(follow_up, convention_pk)
    if not permissions.can_prepare_convention(request.user, follow_up):
        raise PermissionDenied
    try:
        with once(request) as key:
            conventions.prepare_amendment(request.user, convention)
            key.done(reverse("followup:conventions", args=[follow_up.pk]))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("L'avenant est préparé : modifiez-le, puis envoyez-le."))
    return redirect("followup:conventions", follow_up.pk)


@require_POST
def sign(request, pk, convention_pk):
    follow_up = follow_up_or_404(request, pk)
    convention = _convention_or_404(follow_up, convention_pk)
    if not permissions.is_convention_party(request.user, convention):
        raise PermissionDenied
    signable = ConventionParty.objects.filter(
        convention=convention,
        signed_on__isnull=True,
        organisation_id__in=organisation_ids(request.user),
    ).select_related("organisation")
    form = SignForm(request.POST, request.FILES, parties=signable, prefix=f"c{convention.pk}")
    form.convention_pk = convention.pk
    if form.is_valid():
        try:
            conventions.sign(request.user, convention, **form.cleaned_data)
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("Votre signature est enregistrée."))
            return redirect("followup:conventions", follow_up.pk)
    if convention.state != ConventionState.SENT:
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
        return redirect("followup:conventions", follow_up.pk)
    return _page(request, follow_up, sign_form=form, status=400)


@require_safe
def document(request, pk, convention_pk):
    follow_up = follow_up_or_404(request, pk)
    convention = _convention_or_404(follow_up, convention_pk)
    if not convention.document:
        raise Http404
    return serve_private_file(request, convention.document, conventions.pdf_filename(convention))


@require_safe
def scan(request, pk, party_pk):
    follow_up = follow_up_or_404(request, pk)
    party = get_object_or_404(
        ConventionParty.objects.select_related("convention", "organisation"), pk=party_pk
    )
    if not permissions.can_view_signed_scan(request.user, party, follow_up):
        raise Http404
    if not party.signed_scan:
        raise Http404
    return serve_private_file(request, party.signed_scan)


urlpatterns = [
    path("<int:pk>/conventions/", section, name="conventions"),
    path("<int:pk>/conventions/preparer/", prepare, name="convention_prepare"),
    path("<int:pk>/conventions/<int:convention_pk>/modifier/", edit, name="convention_edit"),
    path("<int:pk>/conventions/<int:convention_pk>/avenant/", amend, name="convention_amend"),
    path("<int:pk>/conventions/<int:convention_pk>/signer/", sign, name="convention_sign"),
    path(
        "<int:pk>/conventions/<int:convention_pk>/action/<slug:name>/",
        transition,
        name="convention_transition",
    ),  # fmt: skip
    path(
        "<int:pk>/conventions/<int:convention_pk>/convention.pdf",
        document,
        name="convention_document",
    ),  # fmt: skip
    path("<int:pk>/conventions/parties/<int:party_pk>/exemplaire/", scan, name="convention_scan"),
]
