"""Organisation administrators invite, change and remove members (issue 13, item 5)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ecoquartier.accounts.models import User
from ecoquartier.core.models import ActivityEvent
from ecoquartier.organisations import services
from ecoquartier.organisations.models import Invitation, Membership
from ecoquartier.organisations.permissions import assignable_roles
from tests.accounts.factories import UserFactory
from tests.organisations.factories import DdtFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role
PASSWORD = "motdepasse-demo-2026"


@pytest.fixture
def commune():
    return OrganisationFactory()


@pytest.fixture
def admin(commune):
    return MembershipFactory(organisation=commune, is_admin=True).user


@pytest.fixture
def invite(admin, commune, django_capture_on_commit_callbacks):
    """Invite an address as the admin; the e-mail leaves once the transaction commits."""

    def do(email="claire@exemple.fr", role=Role.MEMBER, is_admin=False, actor=admin):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invite_member(actor, commune, email, role, is_admin)

    return do


def link_in(message):
    return re.search(r"https?://[^/\s]+(/organisations/invitation/\S+/)", message.body).group(1)


def token_of(invitation):
    return services.invitation_token(invitation)


def verbs():
    return list(ActivityEvent.objects.order_by("pk").values_list("verb", flat=True))


# --- Inviting -----------------------------------------------------------------------------------


def test_an_admin_invites_an_address_which_receives_a_link(invite, commune):
    invitation = invite("Claire@Exemple.fr", Role.PROJECT_HOLDER)
    assert invitation.email == "claire@exemple.fr"
    [message] = mail.outbox
    assert message.to == ["claire@exemple.fr"]
    assert commune.name in message.subject
    token = link_in(message).split("/")[-2]
    assert services.invitation_from_token(token) == invitation
    assert "organisation.member_invited" in verbs()


def test_a_member_who_is_not_admin_may_not_invite(commune):
    member = MembershipFactory(organisation=commune).user
    with pytest.raises(PermissionDenied):
        services.invite_member(member, commune, "x@exemple.fr", Role.MEMBER)
    assert not Invitation.objects.exists()


def test_a_platform_superuser_may_invite_into_any_organisation(commune):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert services.invite_member(superuser, commune, "x@exemple.fr", Role.MEMBER).pk


def test_an_address_already_member_or_invited_is_refused_beside_the_field(invite, commune):
    member = MembershipFactory(organisation=commune).user
    with pytest.raises(ValidationError) as member_error:
        invite(member.email.upper())
    invite("claire@exemple.fr")
    with pytest.raises(ValidationError) as pending_error:
        invite("CLAIRE@exemple.fr")
    assert "déjà membre" in member_error.value.message_dict["email"][0]
    assert "déjà en attente" in pending_error.value.message_dict["email"][0]


def test_a_commune_cannot_give_state_roles_but_a_state_service_can(admin, commune):
    assert Role.STATE_REFERENT not in assignable_roles(admin, commune)
    assert Role.PROGRAMME_MANAGER not in assignable_roles(admin, commune)
    with pytest.raises(ValidationError) as error:
        services.invite_member(admin, commune, "x@exemple.fr", Role.PROGRAMME_MANAGER)
    assert "role" in error.value.message_dict
    ddt = DdtFactory()
    ddt_admin = MembershipFactory(organisation=ddt, role=Role.STATE_REFERENT, is_admin=True).user
    assert Role.STATE_REFERENT in assignable_roles(ddt_admin, ddt)


def test_resending_sends_a_new_link_and_the_former_one_stops_working(invite, admin):
    invitation = invite()
    old = token_of(invitation)
    services.resend_invitation(admin, invitation)
    invitation.refresh_from_db()
    assert token_of(invitation) != old
    with pytest.raises(ValidationError, match="remplacée"):
        services.invitation_from_token(old)
    assert services.invitation_from_token(token_of(invitation)) == invitation


def test_a_cancelled_invitation_cannot_be_accepted(invite, admin):
    invitation = invite()
    services.cancel_invitation(admin, invitation)
    claire = UserFactory(email="claire@exemple.fr")
    with pytest.raises(ValidationError, match="annulée"):
        services.accept_invitation(claire, token_of(invitation))
    assert not Membership.objects.filter(user=claire).exists()
    assert "organisation.invitation_cancelled" in verbs()


def test_an_expired_invitation_cannot_be_accepted(invite):
    invitation = invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    claire = UserFactory(email="claire@exemple.fr")
    with pytest.raises(ValidationError, match="expiré"):
        services.accept_invitation(claire, token_of(invitation))


def test_a_tampered_link_is_refused():
    with pytest.raises(ValidationError, match="pas valide"):
        services.invitation_from_token("pas-un-jeton")


# --- Accepting ----------------------------------------------------------------------------------


def test_the_account_of_the_invited_address_joins_with_the_role(invite, commune):
    invitation = invite(role=Role.PROJECT_HOLDER, is_admin=True)
    claire = UserFactory(email="claire@exemple.fr")
    membership = services.accept_invitation(claire, token_of(invitation))
    assert (membership.organisation, membership.role, membership.is_admin) == (
        commune,
        Role.PROJECT_HOLDER,
        True,
    )
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    with pytest.raises(ValidationError, match="déjà été acceptée"):
        services.accept_invitation(claire, token_of(invitation))


def test_another_account_holding_the_link_is_refused(invite):
    invitation = invite()
    intruder = UserFactory(email="intrus@exemple.fr")
    with pytest.raises(ValidationError, match="autre adresse"):
        services.accept_invitation(intruder, token_of(invitation))
    assert not Membership.objects.filter(user=intruder).exists()


def test_a_new_person_creates_its_account_from_the_link(invite, commune):
    invitation = invite()
    user, membership = services.create_account_and_join(
        token_of(invitation), "Claire", "Martin", "un-mot-de-passe-solide-2026"
    )
    assert user.email == "claire@exemple.fr" and user.check_password("un-mot-de-passe-solide-2026")
    assert membership.organisation == commune
    assert "accounts.created_from_invitation" in verbs()


def test_a_weak_password_is_refused_beside_the_field(invite):
    invitation = invite()
    with pytest.raises(ValidationError) as error:
        services.create_account_and_join(token_of(invitation), "Claire", "Martin", "123")
    assert "password1" in error.value.message_dict
    assert not User.objects.filter(email="claire@exemple.fr").exists()


def test_the_admins_are_told_when_someone_joins(invite, admin, django_capture_on_commit_callbacks):
    invitation = invite()
    mail.outbox.clear()
    claire = UserFactory(email="claire@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_invitation(claire, token_of(invitation))
    assert [m.to for m in mail.outbox] == [[admin.email]]


# --- Changing and removing members ----------------------------------------------------------


def test_an_admin_changes_a_members_role_and_admin_flag(admin, commune):
    membership = MembershipFactory(organisation=commune, role=Role.MEMBER)
    services.change_member(admin, membership, Role.PROJECT_HOLDER, True)
    membership.refresh_from_db()
    assert (membership.role, membership.is_admin) == (Role.PROJECT_HOLDER, True)
    event = ActivityEvent.objects.get(verb="organisation.member_changed")
    assert event.changes == {"role": ["member", "holder"], "is_admin": [False, True]}


def test_the_last_admin_cannot_demote_itself(admin, commune):
    own = Membership.objects.get(user=admin, organisation=commune)
    with pytest.raises(ValidationError) as error:
        services.change_member(admin, own, own.role, False)
    assert "dernier administrateur" in error.value.message_dict["is_admin"][0]
    own.refresh_from_db()
    assert own.is_admin


def test_an_admin_may_step_down_once_another_admin_exists(admin, commune):
    MembershipFactory(organisation=commune, is_admin=True)
    own = Membership.objects.get(user=admin, organisation=commune)
    services.change_member(admin, own, own.role, False)
    own.refresh_from_db()
    assert not own.is_admin


def test_the_last_admin_cannot_be_removed(admin, commune):
    own = Membership.objects.get(user=admin, organisation=commune)
    with pytest.raises(ValidationError, match="dernier administrateur"):
        services.remove_member(admin, own)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_removed_member_loses_its_rights_at_once(client, admin, commune):
    membership = MembershipFactory(organisation=commune, role=Role.PROJECT_HOLDER)
    colleague = membership.user
    client.force_login(colleague)
    members_section = "Membres de l’organisation"
    assert members_section in client.get(commune.get_absolute_url()).content.decode()
    services.remove_member(admin, membership)
    assert members_section not in client.get(commune.get_absolute_url()).content.decode()
    assert not Membership.objects.filter(user=colleague).exists()
    assert "organisation.member_removed" in verbs()


def test_a_member_of_another_organisation_cannot_manage_this_one(commune):
    outsider = MembershipFactory(is_admin=True).user
    membership = MembershipFactory(organisation=commune)
    with pytest.raises(PermissionDenied):
        services.remove_member(outsider, membership)
    with pytest.raises(PermissionDenied):
        services.change_member(outsider, membership, Role.MEMBER, True)


# --- Pages --------------------------------------------------------------------------------------


def test_the_organisation_page_offers_member_management_to_its_admins_only(client, admin, commune):
    url = reverse("organisations:members", kwargs={"pk": commune.pk})
    client.force_login(admin)
    assert url in client.get(commune.get_absolute_url()).content.decode()
    member = MembershipFactory(organisation=commune).user
    client.force_login(member)
    assert url not in client.get(commune.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 403


def test_an_invalid_invitation_shows_the_french_error_beside_the_field(client, admin, commune):
    client.force_login(admin)
    url = reverse("organisations:invite", kwargs={"pk": commune.pk})
    response = client.post(url, {"email": "pas-une-adresse", "role": "member"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in html
    assert 'aria-describedby="invite_email-desc-error"' in html


def test_the_last_admin_sees_why_it_cannot_step_down(client, admin, commune):
    client.force_login(admin)
    own = Membership.objects.get(user=admin)
    url = reverse("organisations:member_update", kwargs={"pk": commune.pk, "membership_pk": own.pk})
    response = client.post(url, {f"m{own.pk}-role": own.role})
    html = response.content.decode()
    assert "dernier administrateur" in html
    assert f'id="id_m{own.pk}-is_admin-error"' in html


def test_someone_signed_in_with_another_address_is_told_so(client, invite):
    invitation = invite()
    client.force_login(UserFactory(email="intrus@exemple.fr"))
    url = reverse("organisations:invitation", kwargs={"token": token_of(invitation)})
    assert "n’est pas l’adresse de votre compte" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Membership.objects.filter(user__email="intrus@exemple.fr").exists()


def test_a_new_person_creates_its_account_on_the_link_page_and_is_signed_in(
    client, invite, commune
):
    invitation = invite()
    url = reverse("organisations:invitation", kwargs={"token": token_of(invitation)})
    assert "Créer votre compte" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "first_name": "Claire",
            "last_name": "Martin",
            "password1": "un-mot-de-passe-solide-2026",
            "password2": "un-mot-de-passe-solide-2026",
        },
    )
    assert response.status_code == 302 and response.url == commune.get_absolute_url()
    assert client.get(commune.get_absolute_url()).context["user"].email == "claire@exemple.fr"


def test_mismatched_passwords_are_refused_beside_the_field(client, invite):
    invitation = invite()
    url = reverse("organisations:invitation", kwargs={"token": token_of(invitation)})
    response = client.post(
        url,
        {
            "first_name": "Claire",
            "last_name": "Martin",
            "password1": "un-mot-de-passe-solide-2026",
            "password2": "un-autre-mot-de-passe-2026",
        },
    )
    assert "Les deux mots de passe ne sont pas identiques." in response.content.decode()
    assert not User.objects.filter(email="claire@exemple.fr").exists()


def test_the_members_page_is_bounded_in_queries(
    client, admin, commune, invite, django_assert_max_num_queries
):
    for _ in range(60):
        MembershipFactory(organisation=commune)
    for number in range(30):
        invite(f"invite{number}@exemple.fr")
    client.force_login(admin)
    url = reverse("organisations:members", kwargs={"pk": commune.pk})
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(commune.get_absolute_url()).status_code == 200
