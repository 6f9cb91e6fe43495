"""The shared DSFR pagination: links keep the filters, unavailable links are disabled."""

from django.test import RequestFactory
from django.test.html import parse_html

from ecoquartier.core.pagination import paginate, render_pagination

ITEMS = list(range(200))  # 20 pages of 10


def nav(query):
    request = RequestFactory().get("/liste/", query)
    return render_pagination(request, paginate(request, ITEMS, 10))


def test_a_single_page_has_no_navigation():
    request = RequestFactory().get("/liste/")
    assert render_pagination(request, paginate(request, ITEMS[:10], 10)) == ""


def test_the_first_page_disables_first_and_previous():
    html = nav({})
    assert (
        '<a class="fr-pagination__link fr-pagination__link--first" aria-disabled="true" '
        'role="link">Première page</a>'
    ) in html
    assert 'aria-current="page" title="Page 1">1</a>' in html
    assert '<a class="fr-pagination__link fr-pagination__link--last" href="?page=20">' in html


def test_a_middle_page_keeps_the_filters_and_elides_far_pages():
    html = nav({"q": "Écoquartier & co", "stage": "studies", "page": "10"})
    prefix = "?q=%C3%89coquartier+%26+co&amp;stage=studies&amp;page="
    assert f'href="{prefix}9">Page précédente</a>' in html
    assert f'href="{prefix}11">Page suivante</a>' in html
    assert f'href="{prefix}1">Première page</a>' in html
    assert html.count("…") == 2
    assert 'aria-current="page" title="Page 10">10</a>' in html
    assert "aria-disabled" not in html
    parse_html(html)  # Well formed.


def test_the_last_page_disables_next_and_last_and_out_of_range_means_last():
    html = nav({"page": "999"})
    assert 'aria-current="page" title="Page 20">20</a>' in html
    assert html.count('aria-disabled="true"') == 2


def test_a_known_count_saves_the_count_query(django_assert_num_queries, db):
    from ecoquartier.projects.models import Theme

    request = RequestFactory().get("/liste/", {"page": "2"})
    with django_assert_num_queries(1):  # The page's rows only.
        page = paginate(request, Theme.objects.order_by("pk"), 10, count=25)
        list(page.object_list)
    assert page.paginator.num_pages == 3
