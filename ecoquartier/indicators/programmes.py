"""A programme's indicator values (issue 15, deliverable 6): the values of its projects a reader
may see, as CSV or XLSX, for the programme's managers.

The indicators sit below calls, applications and follow-ups (ARCHITECTURE.md), so nothing here
imports them: the programme is reached through `Indicator.programme` (a programme's own
indicators), its projects through the relations those apps declare on the project — the
laureates of its calls (`applications`) and the projects it follows (`follow_ups`) — and its
managers by the rule `calls.permissions.can_manage_programme` writes (tests/indicators check
that both agree).
"""

import itertools

from django.db.models import Q
from django.utils.translation import gettext as _

from ecoquartier.core.spreadsheets import csv_bytes, xlsx_bytes
from ecoquartier.indicators import reads, spreadsheet
from ecoquartier.indicators.models import Indicator, IndicatorValue
from ecoquartier.organisations.models import Membership
from ecoquartier.organisations.permissions import memberships
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import visible_projects

Programme = Indicator._meta.get_field("programme").related_model
SELECTED = "selected"  # applications.models.State.SELECTED: a laureate of the call


def manages(user, programme):
    """A member, as programme manager, of its owner or one of its partners; an administrator."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    managing = {m.organisation_id for m in memberships(user)
                if m.role == Membership.Role.PROGRAMME_MANAGER}  # fmt: skip
    return bool(managing & programme.organisation_ids())


def projects(programme):
    """The programme's projects: the laureates of its calls and the projects it follows."""
    return Project.objects.filter(
        Q(pk__in=Project.objects.filter(
            applications__call__programme=programme, applications__state=SELECTED
        ).values("pk"))
        | Q(pk__in=Project.objects.filter(follow_ups__programme=programme).values("pk"))
    )  # fmt: skip


def values(user, programme):
    """The values of the programme's projects `user` sees, restricted ones only where it reads
    them (`reads.readable_condition`): one query, whatever the number of projects."""
    queryset = IndicatorValue.objects.filter(
        project__in=visible_projects(user, projects(programme)).values("pk")
    )
    readable = reads.readable_condition(user)
    if readable is not None:
        queryset = queryset.filter(readable)
    return queryset.select_related("project", "indicator").order_by(
        "project__name", "project_id", "indicator__order", "indicator__code", "kind", "date",
        "year", "pk",
    )  # fmt: skip


def columns():
    return [_("Projet"), _("Identifiant du projet"),
            *(str(label) for _name, label in spreadsheet.COLUMNS)]  # fmt: skip


def _row(value):
    indicator = value.indicator
    return [
        value.project.name, value.project.slug, indicator.code, indicator.name, indicator.unit,
        value.get_kind_display(), value.date, value.year, value.value,
        value.get_quality_display(), value.source, value.method, value.comment,
        value.get_visibility_display(),
    ]  # fmt: skip


def to_csv(queryset):
    rows = (_row(value) for value in queryset.iterator(chunk_size=2000))
    return csv_bytes(itertools.chain([columns()], rows))


def to_xlsx(queryset):
    rows = (_row(value) for value in queryset.iterator(chunk_size=2000))
    return xlsx_bytes(itertools.chain([columns()], rows), str(spreadsheet.SHEET))
