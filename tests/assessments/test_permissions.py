import pytest

from ecoquartier.assessments import permissions
from ecoquartier.assessments.models import Assessment
from tests.accounts.factories import UserFactory
from tests.assessments.factories import AssessmentFactory, cast, mock_expertise

pytestmark = pytest.mark.django_db


def test_project_members_write_self_assessments_and_experts_do_not(people):
    assessment = AssessmentFactory(project=people.project)
    assert permissions.can_write_assessment(people.holder, assessment)
    assert not permissions.can_write_assessment(people.lead_expert, assessment)
    assert not permissions.can_write_assessment(people.referent, assessment)


def test_assigned_experts_write_expertises_and_project_members_only_read_them(people):
    assessment = mock_expertise(people)
    assert permissions.can_write_assessment(people.lead_expert, assessment)
    assert permissions.can_write_assessment(people.co_expert, assessment)
    assert not permissions.can_write_assessment(people.unassigned_expert, assessment)
    assert not permissions.can_write_assessment(people.holder, assessment)
    assert permissions.can_read_assessment(people.holder, assessment)


def test_state_referents_of_the_territory_and_managers_read_but_do_not_write(people):
    assessment = mock_expertise(people)
    for user in (people.referent, people.manager):
        assert permissions.can_read_assessment(user, assessment)
        assert not permissions.can_write_assessment(user, assessment)


def test_unassigned_experts_and_other_organisations_cannot_read(people):
    assessment = mock_expertise(people)
    assert not permissions.can_read_assessment(people.unassigned_expert, assessment)
    assert not permissions.can_read_assessment(people.outsider, assessment)
    assert not permissions.can_read_assessment(UserFactory(), assessment)


def test_nobody_writes_a_submitted_assessment(people):
    assessment = mock_expertise(people, status=Assessment.Status.SUBMITTED)
    assert not permissions.can_write_assessment(people.lead_expert, assessment)


def test_validation_belongs_to_the_lead_expert_or_a_programme_manager(people):
    assessment = mock_expertise(people)
    assert permissions.can_validate_assessment(people.lead_expert, assessment)
    assert permissions.can_validate_assessment(people.manager, assessment)
    assert not permissions.can_validate_assessment(people.co_expert, assessment)
    assert not permissions.can_validate_assessment(people.holder, assessment)


def test_who_may_open_each_kind(people):
    project = people.project
    assert permissions.can_create_assessment(people.holder, project, "self")
    assert not permissions.can_create_assessment(people.holder, project, "mock")
    assert permissions.can_create_assessment(people.manager, project, "label")
    assert permissions.can_create_assessment(people.referent, project, "mock")
    assert not permissions.can_create_assessment(people.unassigned_expert, project, "mock")
    assert not permissions.can_create_assessment(people.other_region_manager, project, "mock")


def test_an_expert_does_not_open_an_expertise_even_on_a_public_project(public_people):
    """Finding 4: an expert refused on an assessment opened an expertise à blanc on the
    project, became its lead expert and read the self-assessment."""
    for kind in ("mock", "label", "use_phase"):
        assert not permissions.can_create_assessment(
            public_people.unassigned_expert, public_people.project, kind
        )
        assert not permissions.can_create_assessment(
            public_people.lead_expert, public_people.project, kind
        )


def test_nobody_names_themself_an_expert(people):
    assessment = mock_expertise(people)
    assert permissions.names_themself(people.referent, [people.referent])
    assert permissions.names_themself(people.unassigned_expert, [None, people.unassigned_expert])
    assert not permissions.names_themself(people.referent, [people.lead_expert])
    # Keeping oneself while naming co-experts is not naming oneself.
    assert not permissions.names_themself(people.lead_expert, [people.lead_expert], assessment)
    assert permissions.names_themself(people.unassigned_expert, [people.unassigned_expert],
                                      assessment)  # fmt: skip


def test_a_programme_manager_of_another_region_reads_and_acts_on_nothing(public_people):
    """Finding 2: a PACA manager read, validated, reassigned and followed up assessments of
    every région. Even on a public project, his role gives him nothing outside his région."""
    people = public_people
    self_assessment = AssessmentFactory(project=people.project)
    submitted = mock_expertise(people, status=Assessment.Status.SUBMITTED)
    user = people.other_region_manager
    for assessment in (self_assessment, submitted):
        assert not permissions.can_read_assessment(user, assessment)
        assert not permissions.can_validate_assessment(user, assessment)
        assert not permissions.can_manage_experts(user, assessment)
        assert not permissions.can_follow_up_gaps(user, assessment)
    queryset = Assessment.objects.all()
    assert not permissions.readable_assessments(user, queryset).exists()


def test_the_national_programme_manager_acts_everywhere(people):
    submitted = mock_expertise(people, status=Assessment.Status.SUBMITTED)
    assert permissions.can_read_assessment(people.manager, submitted)
    assert permissions.can_validate_assessment(people.manager, submitted)
    assert permissions.can_manage_experts(people.manager, submitted)
    assert permissions.can_follow_up_gaps(people.manager, submitted)


def test_a_state_referent_names_experts_but_does_not_validate(people):
    submitted = mock_expertise(people, status=Assessment.Status.SUBMITTED)
    assert permissions.can_manage_experts(people.referent, submitted)
    assert not permissions.can_validate_assessment(people.referent, submitted)
    assert not permissions.can_follow_up_gaps(people.referent, submitted)


def test_nobody_reads_an_assessment_of_a_project_they_may_not_see(people):
    """Being on another assessment's cast does not help: an expert of project A reads nothing
    of private project B."""
    other = cast(is_public=False)
    assessment = AssessmentFactory(project=other.project, status=Assessment.Status.SUBMITTED)
    mock_expertise(people)
    for user in (people.lead_expert, people.referent, people.holder):
        assert not permissions.can_read_assessment(user, assessment)


def test_an_expert_named_on_a_private_project_sees_the_project(people):
    from ecoquartier.projects.permissions import can_view_project, visible_projects

    assert not can_view_project(people.co_expert, people.project)
    mock_expertise(people)
    project = type(people.project).objects.get(pk=people.project.pk)
    assert can_view_project(people.co_expert, project)
    assert list(visible_projects(people.co_expert).filter(pk=project.pk)) == [project]
    assert not visible_projects(people.unassigned_expert).filter(pk=project.pk).exists()


def test_readable_assessments_is_one_filter_matching_the_object_rules(people):
    self_assessment = AssessmentFactory(project=people.project)
    expertise = mock_expertise(people)
    elsewhere = AssessmentFactory()
    queryset = Assessment.objects.with_completion()

    def readable(user):
        return set(permissions.readable_assessments(user, queryset))

    assert readable(people.holder) == {self_assessment, expertise}
    assert readable(people.referent) == {self_assessment, expertise}
    assert readable(people.co_expert) == {expertise}
    assert readable(people.unassigned_expert) == set()
    assert readable(people.outsider) == set()
    assert readable(people.manager) == {self_assessment, expertise, elsewhere}


def test_readable_assessments_keeps_completion_counts_exact(people):
    expertise = mock_expertise(people)
    expertise.answers.filter(commitment__number__lte=2).update(level=3)
    [row] = permissions.readable_assessments(people.co_expert, Assessment.objects.with_completion())
    assert (row.answered_count, row.commitment_count) == (2, 20)


def test_an_assigned_expert_reads_the_projects_submitted_assessments_but_not_drafts(people):
    submitted = AssessmentFactory(project=people.project, status=Assessment.Status.SUBMITTED)
    draft = AssessmentFactory(project=people.project)
    mock_expertise(people)
    assert permissions.can_read_assessment(people.co_expert, submitted)
    assert not permissions.can_read_assessment(people.co_expert, draft)
    assert not permissions.can_read_assessment(people.unassigned_expert, submitted)
    readable = set(permissions.readable_assessments(people.co_expert, Assessment.objects.all()))
    assert submitted in readable and draft not in readable
