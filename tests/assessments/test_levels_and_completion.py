import pytest
from django.db import IntegrityError

from ecoquartier.assessments.models import Assessment, Level
from ecoquartier.assessments.reads import load_results
from tests.assessments.factories import AssessmentFactory, answer, answer_all

pytestmark = pytest.mark.django_db


def test_maturity_levels_run_from_not_addressed_to_exemplary():
    assert [(level.value, level.label) for level in Level] == [
        (0, "Non traité"),
        (1, "Insuffisant"),
        (2, "En cours"),
        (3, "Satisfaisant"),
        (4, "Exemplaire"),
    ]


def test_an_answer_names_its_level_as_get_level_display_does(referentiel):
    assessment = AssessmentFactory()
    item = answer(assessment, 7)
    assert item.level_label == ""
    for level in Level:
        item.level = level.value
        assert str(item.level_label) == item.get_level_display() == level.label


def test_the_database_refuses_a_level_above_four(referentiel):
    item = answer(AssessmentFactory(), 1)
    item.level = 5
    with pytest.raises(IntegrityError):
        item.save()


def test_a_new_assessment_has_one_empty_answer_per_commitment_and_zero_completion(referentiel):
    assessment = AssessmentFactory()
    assert assessment.answers.count() == 20
    assert assessment.completion() == 0


def test_completion_counts_commitments_with_a_level_even_level_zero(referentiel):
    assessment = AssessmentFactory()
    assessment.answers.filter(commitment__number__in=[1, 2]).update(level=0)
    assert assessment.completion() == 10
    answer_all(assessment)
    assert assessment.completion() == 100


def test_completion_annotation_matches_the_method(referentiel):
    assessment = AssessmentFactory()
    assessment.answers.filter(commitment__number__lte=5).update(level=2)
    annotated = Assessment.objects.with_completion().get(pk=assessment.pk)
    assert annotated.completion() == assessment.completion() == 25


def test_dimension_averages_ignore_unanswered_commitments(referentiel):
    assessment = AssessmentFactory()
    assessment.answers.filter(commitment__number=1).update(level=4)
    assessment.answers.filter(commitment__number=2).update(level=1)
    results = load_results(assessment)
    first, second = results.dimensions[0], results.dimensions[1]
    assert first.average == 2.5
    assert first.answered == 2
    assert second.average is None
    assert results.average == 2.5
    assert results.completion == 10


def test_results_load_in_three_queries_however_much_is_answered(
    referentiel, django_assert_num_queries
):
    assessment = AssessmentFactory()
    with django_assert_num_queries(3):
        load_results(assessment)
    answer_all(assessment)
    with django_assert_num_queries(3):
        load_results(assessment)
