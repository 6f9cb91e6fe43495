"""Support conventions: prepared by the managers or the experts, sent as a PDF, signed by each
party, put in force, amended by an avenant, closed; the reminder to the parties that have not
signed; the section page."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ecoquartier.core import workflows
from ecoquartier.core.workflows import TransitionRefused
from ecoquartier.followup import conventions
from ecoquartier.followup.models import Convention, ConventionParty, ConventionState, FollowUp
from ecoquartier.notifications.models import Notification
from ecoquartier.organisations.models import Membership
from tests.applications.factories import member
from tests.followup.factories import stranger

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
Role = ConventionParty.Role


def scan(name="signee.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def parties(support, *, state=True):
    rows = [
        {"role": Role.BENEFICIARY, "organisation": support.world.commune,
         "signatory": "Jeanne Martin, maire"},
        {"role": Role.OPERATOR, "organisation": support.cerema,
         "signatory": "Pascal Berteaud, directeur général"},
    ]  # fmt: skip
    if state:
        rows.append({"role": Role.STATE, "organisation": support.world.ddt,
                     "signatory": "Marc Préfet, préfet"})  # fmt: skip
    return rows


VALUES = {
    "object": "Accompagnement ÉcoQuartier des Aires",
    "objectives": "Expertise à blanc, indicateurs.",
    "starts_on": date(2025, 2, 1),
    "duration_months": 36,
    "days_budget": Decimal(36),
    "amount": None,
}


def prepared(support, actor=None, **kwargs):
    return conventions.prepare_convention(
        actor or support.manager, support.follow_up, parties=kwargs.pop("parties", None)
        or parties(support), **{**VALUES, **kwargs},
    )  # fmt: skip


def party(convention, role):
    return convention.parties.get(role=role)


def sent(support):
    return conventions.send_for_signature(support.manager, prepared(support))


def sign(convention, user, role, **kwargs):
    return conventions.sign(
        user, convention, party=party(convention, role),
        signed_on=kwargs.get("signed_on", timezone.localdate()), scan=kwargs.get("scan", scan()),
    )  # fmt: skip


def signed(support):
    convention = sent(support)
    sign(convention, support.holder, Role.BENEFICIARY)
    sign(convention, support.referent, Role.STATE)
    return sign(convention, support.expert, Role.OPERATOR)


# --- Preparing ---------------------------------------------------------------------------------


def test_the_manager_prepares_a_draft_with_the_beneficiary_first(support):
    convention = prepared(support)
    assert convention.state == ConventionState.DRAFT and convention.number == 1
    assert [p.role for p in convention.parties.all()] == [
        Role.BENEFICIARY,
        Role.STATE,
        Role.OPERATOR,
    ]


def test_a_named_expert_prepares_it_too_and_the_beneficiary_and_operator_come_by_default(support):
    convention = prepared(
        support, support.expert,
        parties=[{"role": Role.STATE, "organisation": support.world.ddt, "signatory": "Préfet"}],
    )  # fmt: skip
    organisations = {p.role: p.organisation for p in convention.parties.all()}
    assert organisations[Role.BENEFICIARY] == support.world.commune
    assert organisations[Role.OPERATOR] == support.cerema


@pytest.mark.parametrize("who", ["holder", "referent", "outsider"])
def test_others_may_not_prepare_it(support, who):
    with pytest.raises(PermissionDenied):
        prepared(support, getattr(support, who))


def test_the_state_is_a_ddt_or_a_dreal(support):
    rows = parties(support, state=False)
    rows.append({"role": Role.STATE, "organisation": support.cerema, "signatory": "X"})
    with pytest.raises(ValidationError, match="représenté par le préfet"):
        prepared(support, parties=rows)


def test_one_convention_per_follow_up_then_avenants(support):
    prepared(support)
    with pytest.raises(ValidationError, match="existe déjà"):
        prepared(support)


def test_a_draft_is_edited_and_a_stale_edit_refused(support):
    convention = prepared(support)
    changed = conventions.change_convention(
        support.expert, convention, object="Nouvel objet", expected_version=1,
        parties=parties(support) + [{"role": Role.COFUNDER, "organisation": support.world.ddt,
                                     "signatory": "Y"}],
    )  # fmt: skip
    assert changed.object == "Nouvel objet" and changed.parties.count() == 4
    with pytest.raises(ValidationError, match="modifiée entre-temps"):
        conventions.change_convention(support.manager, convention, object="x", expected_version=1)
    with pytest.raises(PermissionDenied):
        conventions.change_convention(support.holder, convention, object="x")


def test_a_sent_convention_is_not_edited(support):
    convention = sent(support)
    with pytest.raises(ValidationError, match="ne se modifie plus"):
        conventions.change_convention(support.manager, convention, object="x")


# --- Sending: the PDF --------------------------------------------------------------------------


def _text(content):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_sending_generates_the_pdf_naming_the_parties_and_the_version(support):
    convention = sent(support)
    assert convention.state == ConventionState.SENT and convention.sent_at
    content = convention.document.read()
    assert content.startswith(b"%PDF")
    text = " ".join(_text(content).split())
    for name in ("Commune de Reillanne", "Cerema Méditerranée", "DDT des Alpes",
                 "Jeanne Martin", "Version 1"):  # fmt: skip
        assert name in text


def test_the_programme_s_template_is_used_when_it_exists(support):
    convention = prepared(support)
    assert conventions.pdf_templates(convention)[0].endswith(
        f"/pdf/{support.follow_up.programme.slug}.html"
    )
    programme = support.follow_up.programme
    type(programme).objects.filter(pk=programme.pk).update(
        slug="offre-accompagnement-cerema-ecoquartier"
    )
    text = _text(conventions.render_pdf(Convention.objects.get(pk=convention.pk)))
    assert "Cerema" in text and "tripartite" in text


def test_sending_without_a_state_party_is_refused(support):
    convention = prepared(support, parties=parties(support, state=False))
    with pytest.raises(TransitionRefused, match="Ajoutez l'État"):
        conventions.send_for_signature(support.manager, convention)
    assert Convention.objects.get(pk=convention.pk).state == ConventionState.DRAFT


@pytest.mark.parametrize("who", ["holder", "referent", "outsider"])
def test_only_managers_and_experts_send_it(support, who):
    with pytest.raises(PermissionDenied):
        conventions.send_for_signature(getattr(support, who), prepared(support))


def test_the_parties_are_told_it_is_sent(support, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent(support)
    told = set(Notification.objects.filter(event__verb="followup.convention_sent")
               .values_list("recipient", flat=True))  # fmt: skip
    assert {support.holder.pk, support.referent.pk, support.expert.pk} <= told
    assert support.manager.pk not in told and support.outsider.pk not in told


# --- Signing -----------------------------------------------------------------------------------


def test_each_party_signs_and_the_last_makes_it_signed(support, django_capture_on_commit_callbacks):
    convention = sent(support)
    convention = sign(convention, support.holder, Role.BENEFICIARY)
    assert convention.state == ConventionState.SENT
    beneficiary = party(convention, Role.BENEFICIARY)
    assert beneficiary.signed_by == support.holder and beneficiary.signed_scan
    sign(convention, support.referent, Role.STATE)
    with django_capture_on_commit_callbacks(execute=True):
        convention = sign(convention, support.expert, Role.OPERATOR)
    assert convention.state == ConventionState.SIGNED
    told = Notification.objects.filter(event__verb="followup.convention_signed")
    assert support.manager.pk in set(told.values_list("recipient", flat=True))
    transitions = list(workflows.log_of(convention).values_list("transition", flat=True))
    assert transitions == ["sign_last", "sign", "sign", "send"]


def test_signing_twice_is_refused(support):
    convention = sign(sent(support), support.holder, Role.BENEFICIARY)
    with pytest.raises(TransitionRefused, match="a déjà signé"):
        sign(convention, support.holder, Role.BENEFICIARY)


def test_signing_for_another_party_s_organisation_is_refused(support):
    convention = sent(support)
    with pytest.raises(TransitionRefused, match="dont vous êtes membre"):
        sign(convention, support.holder, Role.STATE)


@pytest.mark.parametrize("who", ["manager", "outsider"])
def test_who_belongs_to_no_party_may_not_sign(support, who):
    with pytest.raises(PermissionDenied):
        sign(sent(support), getattr(support, who), Role.BENEFICIARY)


def test_a_signature_needs_a_past_date_and_the_scan(support):
    convention = sent(support)
    with pytest.raises(TransitionRefused, match="futur"):
        sign(convention, support.holder, Role.BENEFICIARY, signed_on=date.today() + timedelta(2))
    with pytest.raises(TransitionRefused, match="exemplaire signé"):
        sign(convention, support.holder, Role.BENEFICIARY, scan=None)
    bad = SimpleUploadedFile("signee.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(TransitionRefused):
        sign(convention, support.holder, Role.BENEFICIARY, scan=bad)


def test_a_sent_convention_returns_to_its_draft_until_a_party_signs(
    support, django_capture_on_commit_callbacks
):
    convention = sent(support)
    with pytest.raises(TransitionRefused, match="motif"):
        conventions.withdraw(support.manager, convention, "")
    with django_capture_on_commit_callbacks(execute=True):
        convention = conventions.withdraw(support.manager, convention, "Montant à corriger")
    assert convention.state == ConventionState.DRAFT
    told = Notification.objects.filter(event__verb="followup.convention_withdrawn")
    assert support.holder.pk in set(told.values_list("recipient", flat=True))
    conventions.change_convention(support.manager, convention, object="Objet corrigé")
    convention = sign(conventions.send_for_signature(support.manager, convention), support.holder,
                      Role.BENEFICIARY)  # fmt: skip
    with pytest.raises(TransitionRefused, match="avenant"):
        conventions.withdraw(support.manager, convention, "Trop tard")


def test_a_draft_is_not_signed(support):
    convention = prepared(support)
    with pytest.raises(TransitionRefused):
        sign(convention, support.holder, Role.BENEFICIARY)


# --- In force, avenant, closed -----------------------------------------------------------------


def test_in_force_copies_the_days_to_a_follow_up_without_budget(support):
    FollowUp.objects.filter(pk=support.follow_up.pk).update(days_budget=0)
    convention = conventions.enter_into_force(support.manager, signed(support))
    assert convention.state == ConventionState.IN_FORCE and convention.in_force_at
    assert FollowUp.objects.get(pk=support.follow_up.pk).days_budget == Decimal(36)


def test_in_force_keeps_a_budget_already_set(support):
    FollowUp.objects.filter(pk=support.follow_up.pk).update(days_budget=20)
    conventions.enter_into_force(support.manager, signed(support))
    assert FollowUp.objects.get(pk=support.follow_up.pk).days_budget == Decimal(20)


@pytest.mark.parametrize("who", ["expert", "holder", "referent"])
def test_only_managers_put_it_in_force(support, who):
    with pytest.raises(PermissionDenied):
        conventions.enter_into_force(getattr(support, who), signed(support))


def test_an_avenant_amends_the_convention_once_in_force(support):
    first = conventions.enter_into_force(support.manager, signed(support))
    avenant = conventions.prepare_amendment(support.expert, first)
    assert (avenant.number, avenant.amends, avenant.state) == (2, first, ConventionState.DRAFT)
    assert avenant.object == first.object and avenant.parties.count() == 3
    assert not avenant.parties.filter(signed_on__isnull=False).exists()
    with pytest.raises(ValidationError, match="déjà en préparation"):
        conventions.prepare_amendment(support.manager, first)
    avenant = conventions.change_convention(support.manager, avenant, days_budget=Decimal(40))
    conventions.send_for_signature(support.manager, avenant)
    for user, role in ((support.holder, Role.BENEFICIARY), (support.referent, Role.STATE),
                       (support.expert, Role.OPERATOR)):  # fmt: skip
        avenant = sign(avenant, user, role)
    assert Convention.objects.get(pk=first.pk).state == ConventionState.IN_FORCE
    conventions.enter_into_force(support.manager, avenant)
    assert Convention.objects.get(pk=first.pk).state == ConventionState.AMENDED
    assert "Avenant n° 1" in _text(Convention.objects.get(pk=avenant.pk).document.read())


def test_the_amend_transition_is_not_fired_by_hand(support):
    first = conventions.enter_into_force(support.manager, signed(support))
    with pytest.raises(TransitionRefused, match="avenant"):
        workflows.fire(first, "amend", support.manager)


def test_an_avenant_needs_a_convention_in_force_and_a_preparer(support):
    convention = signed(support)
    with pytest.raises(ValidationError, match="en vigueur"):
        conventions.prepare_amendment(support.manager, convention)
    convention = conventions.enter_into_force(support.manager, convention)
    with pytest.raises(PermissionDenied):
        conventions.prepare_amendment(support.holder, convention)


def test_managers_close_it(support):
    convention = conventions.enter_into_force(support.manager, signed(support))
    with pytest.raises(PermissionDenied):
        conventions.close_convention(support.expert, convention)
    closed = conventions.close_convention(support.manager, convention, "Fin de l'accompagnement")
    assert closed.state == ConventionState.CLOSED


# --- Reminder ----------------------------------------------------------------------------------


def test_a_party_that_has_not_signed_is_reminded_once_a_period(support, settings):
    settings.FOLLOWUP_SIGNATURE_REMINDER_DAYS = 14
    convention = sign(sent(support), support.holder, Role.BENEFICIARY)
    sent_at = convention.sent_at
    assert conventions.send_signature_reminders(sent_at + timedelta(days=13)) == 0
    assert conventions.send_signature_reminders(sent_at + timedelta(days=14)) == 2  # DDT, Cerema
    assert conventions.send_signature_reminders(sent_at + timedelta(days=20)) == 0
    told = Notification.objects.filter(event__verb="followup.convention_signature_reminder")
    recipients = set(told.values_list("recipient", flat=True))
    assert recipients == {support.referent.pk, support.expert.pk}
    sign(convention, support.referent, Role.STATE)
    assert conventions.send_signature_reminders(sent_at + timedelta(days=28)) == 1  # Cerema


def test_the_reminder_is_a_daily_scheduled_job():
    from ecoquartier.core.scheduler import JOBS

    job = JOBS["followup_signature_reminders"]
    assert job.function == "ecoquartier.followup.conventions.send_signature_reminders"


# --- Pages -------------------------------------------------------------------------------------


def test_the_manager_prepares_sends_and_a_party_signs_from_the_pages(client, support):
    follow_up = support.follow_up
    client.force_login(support.manager)
    page = client.get(reverse("followup:conventions", args=[follow_up.pk])).content.decode()
    assert "Préparer la convention" in page
    form = {**{k: v for k, v in VALUES.items() if v is not None},
            "beneficiary": support.world.commune.pk,
            "beneficiary_signatory": "Jeanne Martin, maire", "state": support.world.ddt.pk,
            "state_signatory": "Le préfet", "operator": support.cerema.pk,
            "operator_signatory": "Le directeur"}  # fmt: skip
    response = client.post(reverse("followup:convention_prepare", args=[follow_up.pk]), form)
    assert response.status_code == 302
    convention = Convention.objects.get(follow_up=follow_up)
    url = reverse("followup:convention_transition", args=[follow_up.pk, convention.pk, "send"])
    assert client.post(url, {"version": convention.version}).status_code == 302
    convention.refresh_from_db()
    assert convention.state == ConventionState.SENT
    pdf = client.get(reverse("followup:convention_document", args=[follow_up.pk, convention.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    client.force_login(support.holder)
    page = client.get(reverse("followup:conventions", args=[follow_up.pk])).content.decode()
    assert "Enregistrer ma signature" in page
    holder_party = party(convention, Role.BENEFICIARY)
    sign_url = reverse("followup:convention_sign", args=[follow_up.pk, convention.pk])
    prefix = f"c{convention.pk}"
    empty = client.post(sign_url, {f"{prefix}-party": holder_party.pk})
    assert empty.status_code == 400
    response = client.post(sign_url, {f"{prefix}-party": holder_party.pk,
                                      f"{prefix}-signed_on": timezone.localdate().isoformat(),
                                      f"{prefix}-scan": scan()})  # fmt: skip
    assert response.status_code == 302
    holder_party.refresh_from_db()
    scan_url = reverse("followup:convention_scan", args=[follow_up.pk, holder_party.pk])
    assert (
        scan_url
        in client.get(reverse("followup:conventions", args=[follow_up.pk])).content.decode()
    )
    assert client.get(scan_url).status_code == 200
    client.force_login(support.outsider)
    assert client.get(scan_url).status_code == 404


def test_a_party_s_members_see_the_follow_up_but_not_the_operator_s_others(client, support):
    sent(support)
    colleague = member(support.cerema, Membership.Role.EXPERT)
    client.force_login(colleague)
    assert (
        client.get(reverse("followup:conventions", args=[support.follow_up.pk])).status_code == 404
    )
    cofunder = member(support.world.ddt, Membership.Role.MEMBER)
    client.force_login(cofunder)
    assert (
        client.get(reverse("followup:conventions", args=[support.follow_up.pk])).status_code == 200
    )


def test_the_section_is_bounded_in_queries(client, support, django_assert_max_num_queries):
    url = reverse("followup:conventions", args=[support.follow_up.pk])
    client.force_login(support.holder)
    first = conventions.enter_into_force(support.manager, signed(support))
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    # Many avenants, with many co-financers each: the same number of queries.
    current = first
    for _i in range(4):
        current = conventions.prepare_amendment(support.manager, current)
        rows = parties(support) + [
            {"role": Role.COFUNDER, "organisation": cofunder_organisation(),
             "signatory": f"Cofinanceur {i}"}
            for i in range(3)
        ]  # fmt: skip
        current = conventions.change_convention(support.manager, current, parties=rows)
        conventions.send_for_signature(support.manager, current)
        for user, role in ((support.holder, Role.BENEFICIARY), (support.referent, Role.STATE),
                           (support.expert, Role.OPERATOR)):  # fmt: skip
            current = sign(current, user, role)
        for cofunder in current.parties.filter(role=Role.COFUNDER):
            signer = member(cofunder.organisation, Membership.Role.MEMBER)
            current = conventions.sign(signer, current, party=cofunder,
                                       signed_on=timezone.localdate(), scan=scan())  # fmt: skip
        current = conventions.enter_into_force(support.manager, current)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def cofunder_organisation():
    from tests.organisations.factories import OrganisationFactory

    return OrganisationFactory(kind="region")


def test_strangers_get_404_and_readers_403_on_actions(client, support):
    convention = prepared(support)
    edit = reverse("followup:convention_edit", args=[support.follow_up.pk, convention.pk])
    client.force_login(stranger())
    assert client.get(edit).status_code == 404
    client.force_login(support.holder)
    assert client.get(edit).status_code == 403
    send = reverse(
        "followup:convention_transition", args=[support.follow_up.pk, convention.pk, "send"]
    )
    assert client.post(send).status_code == 403
