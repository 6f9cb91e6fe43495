"""The read layer of assessments: results, comparison, the PDF report's data and the gap list,
as plain rows read through the app's visibility rules (`permissions.readable_assessments`).
Every loader runs a fixed number of queries, whatever the number of commitments answered."""

from dataclasses import dataclass, field
from statistics import mean

from ecoquartier.assessments import permissions
from ecoquartier.assessments.models import Answer, Assessment, DimensionSynthesis, Gap


def _average(levels):
    levels = [level for level in levels if level is not None]
    return round(mean(levels), 1) if levels else None


class _Levels:
    """The levels of `answers`, for a dimension or a whole assessment."""

    @property
    def average(self):
        return _average(a.level for a in self.answers)

    @property
    def answered(self):
        return sum(1 for a in self.answers if a.level is not None)


@dataclass
class DimensionResult(_Levels):
    dimension: object
    answers: list = field(default_factory=list)
    synthesis: object = None


@dataclass
class Results(_Levels):
    assessment: object
    answers: list
    dimensions: list
    gaps: list

    @property
    def completion(self):
        return round(100 * self.answered / len(self.answers)) if self.answers else 0

    @property
    def open_gaps(self):
        return [g for g in self.gaps if g.status == Gap.Status.OPEN]

    def level_of(self, number):
        return next((a.level for a in self.answers if a.commitment.number == number), None)


def load_results(assessment):
    """Three queries: answers with their commitment, syntheses, gaps."""
    answers = list(
        Answer.objects.filter(assessment=assessment)
        .select_related("commitment__dimension")
        .order_by("commitment__number")
    )
    syntheses = {
        s.dimension_id: s for s in DimensionSynthesis.objects.filter(assessment=assessment)
    }
    by_dimension = {}
    for answer in answers:
        answer.assessment = assessment
        dimension = answer.commitment.dimension
        entry = by_dimension.setdefault(
            dimension.pk, DimensionResult(dimension, synthesis=syntheses.get(dimension.pk))
        )
        entry.answers.append(answer)
    # The gaps' answers are those just read: joining them again would double the columns.
    gaps = list(Gap.objects.filter(answer__assessment=assessment).in_list_order())
    answer_by_pk = {answer.pk: answer for answer in answers}
    for gap in gaps:
        gap.answer = answer_by_pk[gap.answer_id]
    return Results(assessment, answers, list(by_dimension.values()), gaps)


def readable_gaps(user, project):
    """The gaps of `project`'s assessments that `user` may read, with the owners and the
    commitments they name (the gap list's filter choices). Two queries: the readable
    assessments are read once, as the permission condition is long to build and to run."""
    readable = permissions.readable_assessments(user, Assessment.objects.for_project(project))
    gaps = Gap.objects.filter(answer__assessment__in=list(readable.values_list("pk", flat=True)))
    facets = set(
        gaps.order_by().values_list(
            "owner", "answer__commitment__number", "answer__commitment__title"
        )
    )
    owners = sorted({owner for owner, _number, _title in facets if owner})
    commitments = sorted({(number, title) for _owner, number, title in facets})
    return gaps, owners, commitments


def gap_list(gaps, project):
    """`gaps` (of `project`) as a gap table reads them, each knowing its assessment's project
    without reading it again. One query."""
    rows = list(gaps.for_list())
    for gap in rows:
        gap.answer.assessment.project = project
    return rows


@dataclass
class ComparisonRow:
    number: int
    title: str
    dimension: object
    before: int | None
    after: int | None

    @property
    def delta(self):
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class Comparison:
    earlier: Results
    later: Results
    rows: list
    same_version: bool

    @property
    def gaps_closed(self):
        return [g for g in self.earlier.gaps if g.status == Gap.Status.CLOSED]

    @property
    def gaps_still_open(self):
        return [g for g in self.earlier.gaps if g.status == Gap.Status.OPEN]

    @property
    def gaps_new(self):
        return self.later.gaps

    def dimension_rows(self):
        """(dimension title, colour, average before, average after) on the later version."""
        rows = []
        for result in self.later.dimensions:
            numbers = {a.commitment.number for a in result.answers}
            before = _average(self.earlier.level_of(n) for n in numbers)
            rows.append((result.dimension, before, result.average))
        return rows


def compare(first, second):
    """Compare two assessments of one project, oldest first; commitments matched by number."""
    earlier, later = sorted([first, second], key=lambda a: (a.assessed_on, a.pk))
    earlier_results, later_results = load_results(earlier), load_results(later)
    rows = [
        ComparisonRow(
            number=answer.commitment.number,
            title=answer.commitment.title,
            dimension=answer.commitment.dimension,
            before=earlier_results.level_of(answer.commitment.number),
            after=answer.level,
        )
        for answer in later_results.answers
    ]
    return Comparison(earlier_results, later_results, rows, earlier.version_id == later.version_id)
