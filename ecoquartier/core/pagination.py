"""Pagination of every list page: the page of a queryset, and its DSFR navigation.

The navigation is written in Python: as a template it resolved a few hundred variables and
translations per page, a tenth of a list page's time (see `make bench`). Unavailable links carry
aria-disabled, as the DSFR markup requires; the other query parameters (filters) are kept.
"""

from django.core.paginator import Paginator
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


class _Paginator(Paginator):
    """A paginator that may be told its count, when the page has counted already."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Fills the cached_property.


def paginate(request, queryset, per_page, count=None):
    """The requested page (`?page=`; the last one when out of range, the first when invalid).
    `count`, when known, saves the COUNT query."""
    page = _Paginator(queryset, per_page, count=count).get_page(request.GET.get("page"))
    page.pages_list = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    )
    return page


def render_pagination(request, page, extra_class="fr-mt-4w"):
    """The DSFR <nav> for `page`, or "" when everything fits on one page."""
    if page.paginator.num_pages <= 1:
        return ""
    query = request.GET.copy()
    query.pop("page", None)
    prefix = escape(f"?{query.urlencode()}&page=" if query else "?page=")
    number, last = page.number, page.paginator.num_pages
    label = gettext("Page %(number)s")

    def edge(kind, text, target):
        classes = f"fr-pagination__link fr-pagination__link--{kind}"
        if kind in ("prev", "next"):
            classes += " fr-pagination__link--lg-label"
        if target is None:
            return f'<li><a class="{classes}" aria-disabled="true" role="link">{text}</a></li>'
        return f'<li><a class="{classes}" href="{prefix}{target}">{text}</a></li>'

    items = [
        edge("first", escape(gettext("Première page")), 1 if number > 1 else None),
        edge("prev", escape(gettext("Page précédente")), number - 1 if number > 1 else None),
    ]
    for item in page.pages_list:
        if item == page.paginator.ELLIPSIS:
            items.append('<li><span class="fr-pagination__link fr-displayed-lg">…</span></li>')
            continue
        title = escape(label % {"number": item})
        if item == number:
            items.append(
                f'<li><a class="fr-pagination__link" aria-current="page" title="{title}">'
                f"{item}</a></li>"
            )
        else:
            items.append(
                f'<li><a class="fr-pagination__link" href="{prefix}{item}" title="{title}">'
                f"{item}</a></li>"
            )
    items += [
        edge("next", escape(gettext("Page suivante")), number + 1 if number < last else None),
        edge("last", escape(gettext("Dernière page")), last if number < last else None),
    ]
    return format_html(
        '<nav role="navigation" class="fr-pagination {}" aria-label="{}">'
        '<ul class="fr-pagination__list">{}</ul></nav>',
        extra_class,
        gettext("Pagination"),
        mark_safe("".join(items)),
    )
