"""A programme's phase plan (`MilestoneTemplate` rows: framing, diagnosis, strategy, action
plan…) copied into each follow-up opened in it: one milestone per phase, due `offset_months`
after the start, with the deliverables the phase must produce, owned by the beneficiary."""

import datetime

from ecoquartier.core.generations import bump
from ecoquartier.followup import cached
from ecoquartier.followup.models import Deliverable, Milestone, MilestoneTemplate


def months_later(day, months):
    """The same day `months` later, or the month's last day (31 January + 1 → 28/29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def apply_templates(follow_up):
    """Milestones and deliverables from the programme's templates; nothing if it has none.
    Two inserts per table whatever the number of phases."""
    templates = list(MilestoneTemplate.objects.filter(programme_id=follow_up.programme_id))
    if not templates:
        return []
    milestones = Milestone.objects.bulk_create(
        Milestone(
            follow_up=follow_up, order=template.order, title=template.title,
            due_on=months_later(follow_up.starts_on, template.offset_months),
        )
        for template in templates
    )  # fmt: skip
    Deliverable.objects.bulk_create(
        Deliverable(
            follow_up=follow_up, milestone=milestone, title=title, due_on=milestone.due_on,
            owner_id=follow_up.beneficiary_id,
        )
        for template, milestone in zip(templates, milestones, strict=True)
        for title in template.deliverables
    )  # fmt: skip
    bump(cached.GENERATION)  # bulk writes send no signal
    return milestones
