"""Roadmap from gaps (issue 14, deliverable 6): gaps → actions in one step, editing them, and
what a re-assessment says of them (closed, remaining, new) — services, pages, bounded queries."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ecoquartier.assessments.models import Assessment, Gap
from ecoquartier.core import workflows
from ecoquartier.core.activity import timeline
from ecoquartier.followup import roadmap
from ecoquartier.followup.models import RoadmapAction
from tests.assessments.factories import AssessmentFactory, add_gap, answer_all
from tests.followup.factories import stranger
from tests.referentiel.factories import load_current

Status = RoadmapAction.Status


@pytest.fixture
def referentiel(db):
    return load_current()


def expertise(support, *, status=Assessment.Status.SUBMITTED, on=date(2025, 6, 1), **kwargs):
    """An expertise à blanc of the support's project led by its Cerema expert."""
    return AssessmentFactory(
        project=support.world.project, kind=Assessment.Kind.MOCK_EXPERTISE,
        lead_expert=support.expert, status=status, assessed_on=on, **kwargs,
    )  # fmt: skip


@pytest.fixture
def blank(support, referentiel):
    """The expertise à blanc: open gaps on commitments 8 and 20, a closed one on 5."""
    assessment = expertise(support)
    add_gap(
        assessment, 8, description="Bruit des îlots nord.", proposal="Étude air-bruit.",
        owner="SEM aménageur", due_date=date(2026, 3, 31), priority=Gap.Priority.HIGH,
    )  # fmt: skip
    add_gap(
        assessment, 20, description="Pas d'inventaire.", proposal="Inventaire 4 saisons.",
        owner="Ville — espaces verts", due_date=date(2026, 6, 30),
    )  # fmt: skip
    add_gap(assessment, 5, status=Gap.Status.CLOSED)
    return assessment


def test_the_expert_turns_the_open_gaps_into_actions_in_one_step(support, blank):
    actions = roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    assert len(actions) == 2
    by_commitment = {a.commitment.number: a for a in RoadmapAction.objects.all()}
    assert set(by_commitment) == {8, 20}
    noise = by_commitment[8]
    assert noise.title == "Étude air-bruit."
    assert (noise.owner, noise.ends_on, noise.status) == (
        "SEM aménageur",
        date(2026, 3, 31),
        "planned",
    )
    assert noise.gap.description == "Bruit des îlots nord."
    assert noise.project == support.world.project and noise.follow_up == support.follow_up
    assert timeline(support.follow_up, limit=5)[0].verb == "followup.roadmap_created"


def test_converting_twice_creates_nothing_more_and_only_the_new_gaps_later(support, blank):
    roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    assert roadmap.gaps_to_actions(support.expert, support.follow_up, blank) == []
    assert RoadmapAction.objects.count() == 2
    add_gap(blank, 13, proposal="Taux de biosourcés.")
    again = roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    assert [a.title for a in again] == ["Taux de biosourcés."]
    assert RoadmapAction.objects.count() == 3


@pytest.mark.parametrize("who", ["holder", "referent", "outsider", "stranger"])
def test_who_neither_manages_nor_expertises_the_follow_up_may_not_convert(support, blank, who):
    user = stranger() if who == "stranger" else getattr(support, who)
    with pytest.raises(PermissionDenied):
        roadmap.gaps_to_actions(user, support.follow_up, blank)
    assert not RoadmapAction.objects.exists()


def test_a_draft_or_another_projects_assessment_is_refused(support, blank, referentiel):
    draft = expertise(support, status=Assessment.Status.DRAFT)
    add_gap(draft, 3)
    with pytest.raises(ValidationError):
        roadmap.gaps_to_actions(support.expert, support.follow_up, draft)
    elsewhere = AssessmentFactory(kind=Assessment.Kind.MOCK_EXPERTISE, lead_expert=support.expert,
                                  status=Assessment.Status.SUBMITTED)  # fmt: skip
    add_gap(elsewhere, 3)
    with pytest.raises(ValidationError):
        roadmap.gaps_to_actions(support.expert, support.follow_up, elsewhere)
    assert not RoadmapAction.objects.exists()


def test_a_closed_follow_up_takes_no_more_actions(support, blank):
    from ecoquartier.followup.services import close_follow_up

    close_follow_up(support.manager, support.follow_up)
    support.follow_up.refresh_from_db()
    with pytest.raises(PermissionDenied):
        roadmap.gaps_to_actions(support.expert, support.follow_up, blank)


def test_the_expert_edits_an_action_and_the_holder_only_its_status(support, blank):
    roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    action = RoadmapAction.objects.get(commitment__number=8)
    roadmap.change_action(support.expert, action, {
        "owner": "Ville", "partners": "Bruitparif, Airparif", "funding": "Fonds vert : 40 k€",
        "starts_on": date(2026, 1, 5), "ends_on": date(2026, 5, 1), "status": Status.IN_PROGRESS,
    })  # fmt: skip
    action.refresh_from_db()
    assert (action.partners, action.status) == ("Bruitparif, Airparif", Status.IN_PROGRESS)
    roadmap.change_action(support.holder, action, {"status": Status.DONE, "owner": "Ville"})
    action.refresh_from_db()
    assert action.status == Status.DONE
    with pytest.raises(PermissionDenied):
        roadmap.change_action(support.holder, action, {"funding": "Autre"})
    for user in (support.outsider, support.referent):
        with pytest.raises(PermissionDenied):
            roadmap.change_action(user, action, {"status": Status.ABANDONED})
    with pytest.raises(ValidationError):
        roadmap.change_action(support.expert, action, {"ends_on": date(2025, 1, 1)})
    action.refresh_from_db()
    assert (action.status, action.funding) == (Status.DONE, "Fonds vert : 40 k€")


def reassess(support, *, open_on=(8,), new=(3,)):
    later = expertise(support, on=date(2026, 9, 1))
    answer_all(later)
    for number in (*open_on, *new):
        add_gap(later, number, proposal=f"Proposition {number}.")
    return later


def test_reassessment_tells_closed_remaining_and_new_gaps_and_closes_their_actions(support, blank):
    roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    later = reassess(support)
    progress = roadmap.latest_progress(support.world.project)
    assert (progress.earlier, progress.later) == (blank, later)
    assert sorted(g.answer.commitment.number for g in progress.closed) == [5, 20]
    assert [g.answer.commitment.number for g in progress.remaining] == [8]
    assert [g.answer.commitment.number for g in progress.new] == [3]
    assert roadmap.close_actions_of_closed_gaps(support.expert, support.world.project) == 1
    statuses = dict(RoadmapAction.objects.values_list("commitment__number", "status"))
    assert statuses == {8: Status.PLANNED, 20: Status.DONE}
    assert timeline(support.follow_up, limit=1)[0].verb == "followup.actions_closed"
    assert roadmap.close_actions_of_closed_gaps(None, support.world.project) == 0


def test_submitting_the_next_assessment_closes_the_actions_by_itself(
    support, blank, django_capture_on_commit_callbacks
):
    roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    later = reassess(support, open_on=(), new=())
    Assessment.objects.filter(pk=later.pk).update(status=Assessment.Status.DRAFT)
    later.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflows.fire(later, "submit", support.expert)
    assert set(RoadmapAction.objects.values_list("status", flat=True)) == {Status.DONE}


def test_the_abandoned_actions_stay_abandoned(support, blank):
    roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    RoadmapAction.objects.update(status=Status.ABANDONED)
    reassess(support, open_on=(), new=())
    assert roadmap.close_actions_of_closed_gaps(None, support.world.project) == 0


# --- Pages -------------------------------------------------------------------------------------


def test_the_section_offers_the_conversion_then_shows_the_actions_by_commitment(
    client, support, blank
):
    client.force_login(support.expert)
    url = reverse("followup:roadmap", args=[support.follow_up.pk])
    page = client.get(url).content.decode()
    assert "Transformer les écarts en actions" in page
    convert = reverse("followup:roadmap_convert", args=[support.follow_up.pk])
    response = client.post(convert, {"assessment": blank.pk, "_idempotency_key": "k" * 32})
    assert response.status_code == 302
    # The same form sent again creates nothing more.
    client.post(convert, {"assessment": blank.pk, "_idempotency_key": "k" * 32})
    assert RoadmapAction.objects.count() == 2
    page = client.get(url).content.decode()
    assert "Étude air-bruit." in page and "Engagement 8" in page
    assert "Transformer les écarts en actions" not in page  # nothing left to convert
    action = RoadmapAction.objects.get(commitment__number=8)
    edit = reverse("followup:roadmap_action", args=[support.follow_up.pk, action.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"title": "Étude air-bruit des îlots nord", "owner": "SEM",
                                  "partners": "Bruitparif", "status": "in_progress"})  # fmt: skip
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.status) == ("Étude air-bruit des îlots nord", "in_progress")


def test_the_holder_updates_a_status_but_may_not_convert(client, support, blank):
    roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    action = RoadmapAction.objects.get(commitment__number=20)
    client.force_login(support.holder)
    page = client.get(reverse("followup:roadmap", args=[support.follow_up.pk])).content.decode()
    assert "Transformer les écarts en actions" not in page
    convert = reverse("followup:roadmap_convert", args=[support.follow_up.pk])
    assert client.post(convert, {"assessment": blank.pk}).status_code == 403
    edit = reverse("followup:roadmap_action", args=[support.follow_up.pk, action.pk])
    form = client.get(edit).content.decode()
    assert 'name="status"' in form and 'name="funding"' not in form
    assert client.post(edit, {"status": "done", "funding": "x"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.funding) == ("done", "")
    client.force_login(support.referent)
    assert client.get(edit).status_code == 403


def test_the_later_assessments_page_and_the_section_show_the_comparison(client, support, blank):
    roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    later = reassess(support)
    client.force_login(support.expert)
    page = client.get(later.get_absolute_url()).content.decode()
    assert 'id="gap-progress"' in page
    assert "2 écarts levés" in page and "1 écart restant" in page and "1 nouvel écart" in page
    assert "Prévue" in page  # the remaining gap's action, seen by the follow-up's expert
    earlier_page = client.get(blank.get_absolute_url()).content.decode()
    assert 'id="gap-progress"' not in earlier_page  # nothing before it
    section = client.get(reverse("followup:roadmap", args=[support.follow_up.pk])).content.decode()
    assert "2 écarts levés" in section


def test_the_section_is_bounded_in_queries(client, support, blank, django_assert_max_num_queries):
    client.force_login(support.expert)
    url = reverse("followup:roadmap", args=[support.follow_up.pk])
    roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    later = reassess(support)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for number in range(1, 20):
        if number not in (5, 8, 20):
            add_gap(blank, number)
            add_gap(later, number)
    roadmap.gaps_to_actions(support.expert, support.follow_up, blank)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
