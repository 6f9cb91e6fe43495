"""The programme dashboard (/accompagnements/): every follow-up the user may see, with its
days, forecast, late deliverables, waiting instalments and unsigned convention; filters by
programme, région and state; CSV and XLSX exports of the filtered rows."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoquartier.calls.models import Programme
from ecoquartier.core.pagination import paginate
from ecoquartier.followup import cached, dashboard, permissions
from ecoquartier.followup.dashboard_forms import DashboardFilterForm
from ecoquartier.organisations.permissions import membership_key

PER_PAGE = 25


def _programmes(user):
    """The programmes of the follow-ups `user` may see: the programme filter's choices."""
    programmes = Programme.objects.filter(
        pk__in=permissions.visible_follow_ups(user).values("programme_id")
    ).order_by("name")
    return list(programmes.values_list("pk", "name"))


def _form(request, at=None):
    user = request.user
    return DashboardFilterForm(
        request.GET or None,
        programmes=cached.value(
            "dashboard-programmes", membership_key(user), lambda: _programmes(user), at
        ),
        regions=dashboard.region_choices(),
    )


class _Known:
    """A page of pks already read (cached): what the paginator slices, told the count."""

    def __init__(self, pks):
        self.pks = pks

    def __getitem__(self, _slice):
        return self.pks


def _page(request, filters, at):
    """The requested page of the follow-ups' pks: its count and pks read once per change of
    the data (cached.py), not on every request."""
    user = request.user
    narrowed = [str(filters.get(name)) for name in ("programme", "region", "state")]
    key = ":".join([membership_key(user), *narrowed, request.GET.get("page", "")])

    def compute():
        page = paginate(request, dashboard.listing(user, filters), PER_PAGE)
        return page.paginator.count, list(page.object_list)

    count, pks = cached.value("dashboard-page", key, compute, at)
    return paginate(request, _Known(pks), PER_PAGE, count=count)


@require_safe
def index(request):
    today = timezone.localdate()
    at = cached.stamp(today)
    form = _form(request, at)
    page = _page(request, form.filters(), at)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "followup/index.html",
        {"form": form, "page_obj": page, "rows": dashboard.page_rows(page.object_list, today, at),
         "query": query.urlencode(), "breadcrumb": [(_("Accompagnements"), None)]},
    )  # fmt: skip


@require_safe
def export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = _form(request)
    today = timezone.localdate()
    rows = dashboard.rows(dashboard.follow_ups(request.user, form.filters(), today), today)
    stamp = today.strftime("%Y%m%d")
    if fmt == "xlsx":
        response = HttpResponse(
            dashboard.to_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(dashboard.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="accompagnements-{stamp}.{fmt}"'
    return response
