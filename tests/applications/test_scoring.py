"""Weighted aggregation with the priority-theme bonus, and conflicts of interest."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecoquartier.applications import permissions, scoring, services
from ecoquartier.applications.models import Criterion, State
from tests.applications.factories import review_for, submitted_application


def test_a_review_total_is_the_weighted_mean_on_twenty():
    # (5×3 + 1×1) / (5×4) × 20 = 16
    assert scoring.review_total([(5, 3), (1, 1)]) == Decimal("16.00")
    assert scoring.review_total([]) is None


def test_aggregate_gives_mean_and_spread():
    result = scoring.aggregate([Decimal("16"), Decimal("12"), None])
    assert (result.mean, result.spread, result.count) == (Decimal("14.00"), Decimal("4.00"), 2)
    assert result.with_bonus(2) == Decimal("16.00")


@pytest.fixture
def under_review(world):
    return submitted_application(world, State.UNDER_REVIEW)


def scores_for(world, ambition, governance):
    criteria = {c.label: c.pk for c in Criterion.objects.filter(call=world.call)}
    return {criteria["Ambition"]: (ambition, ""), criteria["Gouvernance"]: (governance, "")}


def test_submitted_reviews_give_the_application_its_score_plus_bonus(world, under_review):
    first, second = (review_for(under_review, r) for r in world.reviewers)
    for review, (a, g) in zip([first, second], [(5, 1), (3, 3)], strict=True):
        services.declare_conflict(review.reviewer, review, False)
        services.save_review(
            review.reviewer, review, scores_for(world, a, g), recommendation="yes", submit=True
        )
    under_review.refresh_from_db()
    # 16 and 12 → mean 14, spread 4, bonus 2 for the priority theme → 16
    assert under_review.review_score == Decimal("14.00")
    assert under_review.score_spread == Decimal("4.00")
    assert under_review.bonus == 2
    assert under_review.score == Decimal("16.00")


def test_a_declared_conflict_blocks_scoring_and_hides_other_reviews(world, under_review):
    conflicted, other = (review_for(under_review, r) for r in world.reviewers)
    services.declare_conflict(other.reviewer, other, False)
    services.save_review(
        other.reviewer, other, scores_for(world, 4, 4), recommendation="yes", submit=True
    )
    services.declare_conflict(conflicted.reviewer, conflicted, True, "Élu de la commune")
    conflicted.refresh_from_db()
    with pytest.raises(ValidationError):
        services.save_review(
            conflicted.reviewer, conflicted, scores_for(world, 5, 5), recommendation="yes"
        )
    assert not permissions.can_see_reviews(conflicted.reviewer, under_review)
    assert not permissions.can_view(conflicted.reviewer, under_review)
    assert permissions.can_see_reviews(other.reviewer, under_review)
    under_review.refresh_from_db()
    assert under_review.review_count == 1


def test_scoring_requires_the_declaration_first(world, under_review):
    review = review_for(under_review, world.reviewers[0])
    with pytest.raises(PermissionDenied):
        services.save_review(review.reviewer, review, scores_for(world, 4, 4))


def test_only_the_assigned_reviewer_scores(world, under_review):
    review = review_for(under_review, world.reviewers[0])
    with pytest.raises(PermissionDenied):
        services.declare_conflict(world.reviewers[1], review, False)


def test_submission_needs_every_criterion_and_a_recommendation(world, under_review):
    review = review_for(under_review, world.reviewers[0])
    services.declare_conflict(review.reviewer, review, False)
    criteria = scores_for(world, 4, None)
    with pytest.raises(ValidationError) as error:
        services.save_review(review.reviewer, review, criteria, submit=True)
    assert len(error.value.messages) == 2
