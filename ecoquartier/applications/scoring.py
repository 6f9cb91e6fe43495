"""Weighted scores (F-32): a review's grade out of 20 from 0–5 criterion scores and weights, the
application's mean over reviewers, the priority-theme bonus and the spread between reviewers.

The arithmetic is pure (`review_total`, `aggregate`); `refresh` writes the result on the
application so that ranking is a plain ORDER BY.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ecoquartier.applications.models import Review

SCALE_MAX = 5
OUT_OF = 20
CENT = Decimal("0.01")


def _round(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def review_total(scores):
    """`scores`: [(value 0–5, weight ≥ 1)] → weighted mean brought to /20, or None if empty."""
    weights = sum(w for _v, w in scores)
    if not weights:
        return None
    weighted = sum(Decimal(v) * w for v, w in scores)
    return _round(weighted * OUT_OF / (weights * SCALE_MAX))


@dataclass(frozen=True)
class Aggregate:
    mean: Decimal | None
    spread: Decimal | None
    count: int

    def with_bonus(self, bonus):
        return None if self.mean is None else _round(self.mean + bonus)


def aggregate(totals):
    """Mean and spread (max − min) of the reviewers' totals; conflicted reviews are excluded
    by the caller."""
    totals = [Decimal(t) for t in totals if t is not None]
    if not totals:
        return Aggregate(None, None, 0)
    return Aggregate(
        _round(sum(totals) / len(totals)), _round(max(totals) - min(totals)), len(totals)
    )


def apply_totals(application):
    application.score = (
        None
        if application.review_score is None
        else _round(application.review_score + application.bonus)
    )


def counted_reviews(application):

    return Review.objects.filter(
        application=application, submitted_at__isnull=False, total__isnull=False
    ).exclude(conflict=Review.Conflict.DECLARED)


def refresh(application):
    """Recompute the application's mean, spread and score from its submitted reviews."""
    result = aggregate(counted_reviews(application).values_list("total", flat=True))
    application.review_score = result.mean
    application.score_spread = result.spread
    application.review_count = result.count
    apply_totals(application)
    type(application).objects.filter(pk=application.pk).update(
        review_score=application.review_score,
        score_spread=application.score_spread,
        review_count=application.review_count,
        score=application.score,
    )
    return result
