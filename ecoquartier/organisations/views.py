from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ecoquartier.core.idempotency import once
from ecoquartier.core.pagination import paginate
from ecoquartier.organisations import forms, services
from ecoquartier.organisations.models import Invitation, Membership, Organisation
from ecoquartier.organisations.permissions import (
    assignable_roles,
    can_contact,
    can_manage_members,
    can_see_members,
)
from ecoquartier.organisations.state_services import state_contacts
from ecoquartier.territories.models import Territory

MEMBERS_PER_PAGE = 25
PENDING_SHOWN = 50


def territory_url(territory):
    return reverse(
        "organisations:territory", kwargs={"kind": territory.kind, "code": territory.code}
    )


def _territories_crumb():
    try:
        return [(_("Territoires"), reverse("territories:search"))]
    except NoReverseMatch:
        return []


def parents(territory):
    """Direct parents, widest first, from the foreign keys loaded with the territory."""
    chain = [territory.region, territory.departement, territory.epci]
    return [parent for parent in chain if parent is not None and parent.pk != territory.pk]


@login_not_required
@require_safe
def territory_detail(request, kind, code):
    if kind not in Territory.Kind.values:
        raise Http404
    territory = get_object_or_404(
        Territory.objects.select_related("region", "departement", "epci"), kind=kind, code=code
    )
    chain = parents(territory)
    breadcrumb = _territories_crumb()
    breadcrumb += [(parent.name, territory_url(parent)) for parent in chain]
    breadcrumb.append((territory.name, None))
    organisations = territory.organisations.exclude(kind__in=Organisation.STATE_KINDS)
    return render(
        request,
        "organisations/territory_detail.html",
        {
            "territory": territory,
            "parents": [(parent, territory_url(parent)) for parent in chain],
            "contacts": with_contact_links(state_contacts(territory)),
            "organisations": organisations,
            "breadcrumb": breadcrumb,
        },
    )


@login_not_required
@require_safe
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), pk=pk)
    members_visible = can_see_members(request.user, organisation)
    memberships = (
        paginate(request, _members(organisation), MEMBERS_PER_PAGE) if members_visible else []
    )
    territory = organisation.territory
    breadcrumb = [(territory.name, territory_url(territory))] if territory else []
    breadcrumb.append((organisation.name, None))
    contacts = []
    if territory is not None and not organisation.is_state_service:
        contacts = with_contact_links(state_contacts(territory))
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "territory_url": territory_url(territory) if territory else None,
            "members_visible": members_visible,
            "memberships": memberships,
            "can_manage": can_manage_members(request.user, organisation),
            "contact_url": _contact_url(organisation) if services.reachable(organisation) else None,
            "contacts": contacts,
            "breadcrumb": breadcrumb,
        },
    )


def _members(organisation):
    return organisation.memberships.select_related("user").order_by(
        "user__last_name", "user__first_name", "pk"
    )


def _contact_url(organisation):
    return reverse("organisations:contact", kwargs={"pk": organisation.pk})


def with_contact_links(contacts):
    """The contacts, each with `contact_url` when it can be written to through the platform."""
    contacts = list(contacts)
    reachable = services.reachable_ids(contacts)
    for contact in contacts:
        contact.contact_url = _contact_url(contact) if contact.pk in reachable else None
    return contacts


# --- Members: the administrators' page ----------------------------------------------------------


def _managed_or_403(user, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), pk=pk)
    if not can_manage_members(user, organisation):
        raise PermissionDenied
    return organisation


def _member_form(membership, roles, data=None):
    return forms.MemberForm(
        data,
        prefix=f"m{membership.pk}",
        roles=roles,
        current_role=membership.role,
        initial={"role": membership.role, "is_admin": membership.is_admin},
    )


def _into(form, error):
    """A service's ValidationError beside the fields it names (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _members_page(request, organisation, *, invite_form=None, bound=None, status=200):
    """The page; `bound` is the (membership pk, form) of a row sent back with its errors."""
    roles = assignable_roles(request.user, organisation)
    page = paginate(request, _members(organisation), MEMBERS_PER_PAGE)
    sent_back = dict([bound]) if bound else {}
    rows = [{"membership": m, "form": sent_back.get(m.pk) or _member_form(m, roles)} for m in page]
    pending = list(
        organisation.invitations.pending()
        .select_related("invited_by")
        .order_by("-sent_at", "-pk")[: PENDING_SHOWN + 1]
    )
    title = _("Gérer les membres de « %s »") % organisation.name
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "title": title,
            "page_obj": page,
            "rows": rows,
            "invite_form": invite_form or forms.InviteForm(roles=roles),
            "pending": pending[:PENDING_SHOWN],
            "more_pending": len(pending) > PENDING_SHOWN,
            "pending_shown": PENDING_SHOWN,
            "now": timezone.now(),
            "breadcrumb": [(organisation.name, organisation.get_absolute_url()), (title, None)],
        },
        status=status,
    )


def _members_url(organisation):
    return reverse("organisations:members", kwargs={"pk": organisation.pk})


@require_safe
def members(request, pk):
    return _members_page(request, _managed_or_403(request.user, pk))


@require_POST
def invite(request, pk):
    organisation = _managed_or_403(request.user, pk)
    roles = assignable_roles(request.user, organisation)
    form = forms.InviteForm(request.POST, roles=roles)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with once(request) as key:
                services.invite_member(
                    request.user, organisation, data["email"], data["role"], data["is_admin"]
                )
                key.done(_members_url(organisation))
        except ValidationError as error:
            _into(form, error)
        else:
            messages.success(request, _("Invitation envoyée à %s.") % data["email"].lower())
            return redirect(_members_url(organisation))
    return _members_page(request, organisation, invite_form=form)


def _membership(request, pk, membership_pk):
    organisation = _managed_or_403(request.user, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organisation=organisation
    )
    return organisation, membership


@require_POST
def member_update(request, pk, membership_pk):
    organisation, membership = _membership(request, pk, membership_pk)
    roles = assignable_roles(request.user, organisation)
    form = _member_form(membership, roles, data=request.POST)
    if form.is_valid():
        try:
            services.change_member(
                request.user, membership, form.cleaned_data["role"], form.cleaned_data["is_admin"]
            )
        except ValidationError as error:
            _into(form, error)
        else:
            messages.success(request, _("Rôle de %s enregistré.") % membership.user)
            return redirect(_members_url(organisation))
    return _members_page(request, organisation, bound=(membership.pk, form))


@require_POST
def member_remove(request, pk, membership_pk):
    organisation, membership = _membership(request, pk, membership_pk)
    try:
        services.remove_member(request.user, membership)
    except ValidationError as error:
        form = _member_form(membership, assignable_roles(request.user, organisation))
        form.add_error(None, error.messages)
        return _members_page(request, organisation, bound=(membership.pk, form))
    messages.success(request, _("%s ne fait plus partie de l’organisation.") % membership.user)
    if membership.user_id == request.user.pk:  # one left by themselves
        return redirect(organisation)
    return redirect(_members_url(organisation))


def _pending_invitation(request, pk, invitation_pk):
    organisation = _managed_or_403(request.user, pk)
    invitation = get_object_or_404(
        Invitation.objects.pending(), pk=invitation_pk, organisation=organisation
    )
    return organisation, invitation


@require_POST
def invitation_resend(request, pk, invitation_pk):
    organisation, invitation = _pending_invitation(request, pk, invitation_pk)
    services.resend_invitation(request.user, invitation)
    messages.success(request, _("Invitation renvoyée à %s.") % invitation.email)
    return redirect(_members_url(organisation))


@require_POST
def invitation_cancel(request, pk, invitation_pk):
    organisation, invitation = _pending_invitation(request, pk, invitation_pk)
    services.cancel_invitation(request.user, invitation)
    messages.success(request, _("Invitation de %s annulée.") % invitation.email)
    return redirect(_members_url(organisation))


# --- An invitation's link -----------------------------------------------------------------------


@login_not_required
def invitation(request, token):
    """Signed in as the invited address: accept; without an account for it: create it here;
    otherwise: sign in (or out) first. A link no longer valid says why."""
    try:
        found = services.invitation_from_token(token)
    except ValidationError as error:
        return _invitation_page(request, None, problem=" ".join(error.messages))
    user = request.user
    account = services.invited_account(found) if not user.is_authenticated else None
    join_form = None
    if not user.is_authenticated and account is None:
        join_form = forms.JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        return _answer_invitation(request, token, found, join_form)
    return _invitation_page(request, found, join_form=join_form, has_account=account is not None)


def _answer_invitation(request, token, found, join_form):
    user = request.user
    try:
        if user.is_authenticated:
            services.accept_invitation(user, token)
        elif join_form is not None and join_form.is_valid():
            data = join_form.cleaned_data
            user, _membership = services.create_account_and_join(
                token, data["first_name"], data["last_name"], data["password1"]
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        else:
            return _invitation_page(request, found, join_form=join_form)
    except ValidationError as error:
        if join_form is not None and not user.is_authenticated:
            _into(join_form, error)
            return _invitation_page(request, found, join_form=join_form)
        messages.error(request, " ".join(error.messages))
        return redirect("organisations:invitation", token=token)
    messages.success(request, _("Vous avez rejoint « %s ».") % found.organisation.name)
    return redirect(found.organisation)


def _invitation_page(request, found, *, join_form=None, has_account=False, problem=""):
    title = _("Rejoindre « %s »") % found.organisation.name if found else _("Invitation non valide")
    mismatch = (
        found is not None
        and request.user.is_authenticated
        and request.user.email.casefold() != found.email.casefold()
    )
    return render(
        request,
        "organisations/invitation.html",
        {
            "title": title,
            "invitation": found,
            "problem": problem,
            "join_form": join_form,
            "has_account": has_account,
            "mismatch": mismatch,
            "login_url": resolve_url(settings.LOGIN_URL),
            "breadcrumb": [(title, None)],
        },
    )


# --- Writing to a State service -----------------------------------------------------------------


def contact(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), pk=pk)
    if not organisation.is_state_service or not can_contact(request.user, organisation):
        raise Http404
    form = forms.ContactForm(request.POST if request.method == "POST" else None)
    reachable = services.reachable(organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with once(request) as key:
                services.contact_service(request.user, organisation, data["subject"], data["body"])
                key.done(organisation)
        except ValidationError as error:
            _into(form, error)
        else:
            messages.success(request, _("Votre message a été envoyé à « %s ».") % organisation.name)
            return redirect(organisation)
    title = _("Écrire à « %s »") % organisation.name
    breadcrumb = []
    if organisation.territory:
        breadcrumb.append((organisation.territory.name, territory_url(organisation.territory)))
    breadcrumb += [(organisation.name, organisation.get_absolute_url()), (title, None)]
    return render(
        request,
        "organisations/contact.html",
        {
            "organisation": organisation,
            "form": form,
            "reachable": reachable,
            "title": title,
            "breadcrumb": breadcrumb,
        },
    )
