import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ecoquartier.assessments import services
from ecoquartier.assessments.models import Assessment, Gap
from ecoquartier.assessments.reads import gap_list, readable_gaps
from ecoquartier.core.models import ActivityEvent
from tests.assessments.factories import AssessmentFactory, add_gap, answer, mock_expertise
from tests.referentiel.factories import load_old

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_opening_an_assessment_binds_it_to_the_current_version_with_every_commitment(people):
    assessment = services.create_assessment(people.holder, people.project, "self")
    assert assessment.version.code == "2023"
    assert assessment.answers.count() == 20
    assert assessment.syntheses.count() == 4
    assert ActivityEvent.objects.for_object(people.project).filter(verb="assessment.created")


def test_an_assessment_stays_bound_to_an_older_version(people):
    old = load_old()
    assessment = services.create_assessment(people.holder, people.project, "self", version=old)
    assert assessment.answers.count() == 3
    assert assessment.version == old


def test_a_state_referent_opens_an_expertise_naming_its_lead_expert(people):
    assessment = services.create_assessment(
        people.referent, people.project, "mock", lead_expert=people.lead_expert
    )
    assert (assessment.lead_expert, assessment.created_by) == (people.lead_expert, people.referent)
    assert assessment.status == Assessment.Status.DRAFT


def test_an_expert_cannot_open_an_expertise_to_give_themself_access(public_people):
    """Finding 4: the refused expert opened an expertise à blanc and became its lead."""
    expert = public_people.unassigned_expert
    with pytest.raises(PermissionDenied):
        services.create_assessment(expert, public_people.project, "mock", lead_expert=expert)
    with pytest.raises(PermissionDenied):
        services.create_assessment(expert, public_people.project, "mock")
    assert not Assessment.objects.filter(project=public_people.project).exists()


def test_nobody_opens_an_expertise_naming_themself(people):
    """A referent who is also an expert somewhere cannot name themself lead expert."""
    from ecoquartier.organisations.models import Membership
    from tests.organisations.factories import MembershipFactory, OrganisationFactory

    MembershipFactory(user=people.referent, organisation=OrganisationFactory(),
                      role=Membership.Role.EXPERT)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.create_assessment(
            people.referent, people.project, "mock", lead_expert=people.referent
        )
    assert "vous-même" in str(refused.value)
    assert not Assessment.objects.filter(project=people.project).exists()


def test_the_lead_expert_names_co_experts_and_keeps_their_place(people):
    assessment = mock_expertise(people)
    services.set_experts(
        people.lead_expert, assessment, lead_expert=people.lead_expert,
        co_experts=[people.co_expert, people.unassigned_expert],
    )  # fmt: skip
    assert set(assessment.co_experts.all()) == {people.co_expert, people.unassigned_expert}


def test_an_unassigned_expert_cannot_name_themself_on_an_expertise(people):
    assessment = mock_expertise(people)
    with pytest.raises(PermissionDenied):
        services.set_experts(
            people.unassigned_expert, assessment, lead_expert=people.lead_expert,
            co_experts=[people.unassigned_expert],
        )  # fmt: skip
    assert list(assessment.co_experts.all()) == [people.co_expert]


def test_a_manager_of_another_region_neither_validates_nor_reassigns_nor_closes_gaps(people):
    """Finding 2 at the service level: nothing changes."""
    from ecoquartier.core import workflows

    assessment = mock_expertise(people, status=Assessment.Status.SUBMITTED)
    gap = add_gap(assessment, 3)
    user = people.other_region_manager
    with pytest.raises(PermissionDenied):
        workflows.fire(assessment, "validate", user)
    with pytest.raises(PermissionDenied):
        services.set_experts(user, assessment, lead_expert=people.unassigned_expert, co_experts=[])
    with pytest.raises(PermissionDenied):
        services.set_gap_status(user, gap, Gap.Status.CLOSED)
    assessment.refresh_from_db()
    gap.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.lead_expert == people.lead_expert
    assert gap.status == Gap.Status.OPEN
    assert not ActivityEvent.objects.filter(actor=user).exists()


def test_opening_is_refused_to_someone_not_allowed(people):
    with pytest.raises(PermissionDenied):
        services.create_assessment(people.outsider, people.project, "self")


def test_saving_an_answer_bumps_its_revision_and_logs_it(people):
    assessment = AssessmentFactory(project=people.project)
    item = answer(assessment, 6)
    saved = services.save_answer(
        people.holder, item, level=3, narrative="Friche reconquise.", revision=1
    )
    assert (saved.level, saved.narrative, saved.revision) == (3, "Friche reconquise.", 2)
    event = ActivityEvent.objects.for_object(assessment).get(verb="assessment.answer_saved")
    assert event.changes["level"] == [None, 3]


def test_a_stale_save_is_refused_and_the_first_writer_keeps_their_text(people):
    assessment = AssessmentFactory(project=people.project)
    first_view, second_view = answer(assessment, 6), answer(assessment, 6)
    services.save_answer(people.holder, first_view, level=3, narrative="Premier", revision=1)
    with pytest.raises(services.StaleEditError) as stale:
        services.save_answer(people.holder, second_view, level=1, narrative="Second", revision=1)
    assert stale.value.current.narrative == "Premier"
    assert answer(assessment, 6).narrative == "Premier"


def test_saving_without_change_keeps_the_revision(people):
    assessment = AssessmentFactory(project=people.project)
    saved = services.save_answer(
        people.holder, answer(assessment, 1), level=None, narrative="", revision=1
    )
    assert saved.revision == 1


def test_an_out_of_range_level_or_overlong_narrative_is_refused(people):
    item = answer(AssessmentFactory(project=people.project), 1)
    with pytest.raises(ValidationError):
        services.save_answer(people.holder, item, level=7, narrative="", revision=1)
    with pytest.raises(ValidationError):
        services.save_answer(people.holder, item, level=1, narrative="x" * 5001, revision=1)


def test_nobody_saves_into_a_submitted_assessment(people):
    assessment = AssessmentFactory(project=people.project, status=Assessment.Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.save_answer(
            people.holder, answer(assessment, 1), level=2, narrative="", revision=1
        )


def test_a_pdf_is_accepted_as_evidence(people):
    item = answer(AssessmentFactory(project=people.project), 19)
    evidence = services.add_evidence(
        people.holder,
        item,
        uploaded_file=SimpleUploadedFile("noue.pdf", PDF),
        title="Plan des noues",
    )
    assert evidence.size == len(PDF)
    assert evidence.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("setup.exe", b"MZ\x90\x00", "file_type"),
        ("rapport.pdf", b"MZ\x90\x00 not a pdf", "file_content"),
        ("plan.png", PDF, "file_content"),
    ],
)
def test_evidence_of_a_wrong_type_is_refused(people, name, content, code):
    item = answer(AssessmentFactory(project=people.project), 19)
    with pytest.raises(ValidationError) as error:
        services.add_evidence(people.holder, item, uploaded_file=SimpleUploadedFile(name, content))
    assert error.value.code == code


def test_evidence_over_ten_megabytes_is_refused(people):
    item = answer(AssessmentFactory(project=people.project), 19)
    big = SimpleUploadedFile("gros.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.add_evidence(people.holder, item, uploaded_file=big)
    assert error.value.code == "file_size"


def test_an_expert_records_a_gap_with_its_proposal(people):
    assessment = mock_expertise(people)
    gap = services.add_gap(
        people.lead_expert,
        answer(assessment, 20),
        description="Aucun inventaire faune-flore sur un cycle complet.",
        proposal="Commander un inventaire quatre saisons avant le dépôt du permis.",
        priority=Gap.Priority.HIGH,
        owner="Direction de l'urbanisme",
    )
    assert gap.status == Gap.Status.OPEN
    assert gap.priority_rank == 1
    assert ActivityEvent.objects.for_object(people.project).filter(verb="assessment.gap_added")


def test_project_members_close_a_gap_even_after_validation(people):
    assessment = mock_expertise(people, status=Assessment.Status.VALIDATED)
    gap = Gap.objects.create(answer=answer(assessment, 20), description="d", proposal="p")
    closed = services.set_gap_status(people.holder, gap, Gap.Status.CLOSED)
    assert closed.closed_at is not None
    reopened = services.set_gap_status(people.holder, gap, Gap.Status.OPEN)
    assert reopened.closed_at is None


def test_a_referent_does_not_close_gaps(people):
    assessment = mock_expertise(people)
    gap = Gap.objects.create(answer=answer(assessment, 20), description="d", proposal="p")
    with pytest.raises(PermissionDenied):
        services.set_gap_status(people.referent, gap, Gap.Status.CLOSED)


def test_a_manager_assigns_experts_and_it_is_logged(people):
    assessment = mock_expertise(people)
    services.set_experts(
        people.manager,
        assessment,
        lead_expert=people.co_expert,
        co_experts=[people.lead_expert, people.co_expert],
    )
    assessment.refresh_from_db()
    assert assessment.lead_expert == people.co_expert
    assert list(assessment.co_experts.all()) == [people.lead_expert]
    assert ActivityEvent.objects.for_object(assessment).filter(verb="assessment.experts_assigned")


def test_a_co_expert_does_not_assign_experts(people):
    with pytest.raises(PermissionDenied):
        services.set_experts(
            people.co_expert, mock_expertise(people), lead_expert=people.co_expert, co_experts=[]
        )


def test_readable_gaps_and_their_filter_choices_follow_what_the_reader_may_read(public_people):
    people = public_people
    expertise = mock_expertise(people)
    add_gap(expertise, 14, owner="Aménageur")
    add_gap(expertise, 20, owner="")
    add_gap(AssessmentFactory(project=people.project), 3, owner="Cabinet du maire")  # a draft
    gaps, owners, commitments = readable_gaps(people.co_expert, people.project)
    assert owners == ["Aménageur"]
    assert [number for number, _title in commitments] == [14, 20]
    rows = gap_list(gaps, people.project)
    assert [gap.answer.commitment.number for gap in rows] == [14, 20]
    assert all(gap.answer.assessment.project is people.project for gap in rows)
    _gaps, owners, _commitments = readable_gaps(people.holder, people.project)
    assert owners == ["Aménageur", "Cabinet du maire"]
