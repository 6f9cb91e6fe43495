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
from ecoquartier.followup import dashboard, permissions
from ecoquartier.followup.dashboard_forms import DashboardFilterForm

PER_PAGE = 25


def _form(request):
    programmes = Programme.objects.filter(
        pk__in=permissions.visible_follow_ups(request.user).values("programme_id")
    ).order_by("name")
    return DashboardFilterForm(
        request.GET or None,
        programmes=list(programmes.values_list("pk", "name")),
        regions=dashboard.region_choices(),
    )


@require_safe
def index(request):
    form = _form(request)
    today = timezone.localdate()
    page = paginate(request, dashboard.follow_ups(request.user, form.filters(), today), PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "followup/index.html",
        {"form": form, "page_obj": page, "rows": dashboard.rows(page.object_list, today),
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
