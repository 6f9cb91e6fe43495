"""The follow-up's pages: reached from the application and the project, 404 for strangers."""

from django.urls import reverse

from ecoquartier.followup.models import FollowUp
from tests.followup.factories import build_support


def test_the_manager_opens_it_from_the_application_page_then_reads_its_overview(client, geo):
    support = build_support(geo, open_it=False)
    client.force_login(support.manager)
    page = client.get(support.application.get_absolute_url())
    assert "Ouvrir l'accompagnement" in page.content.decode()
    response = client.post(reverse("followup:open_from_application", args=[support.application.pk]))
    follow_up = FollowUp.objects.get(application=support.application)
    assert response.url == reverse("followup:detail", args=[follow_up.pk])
    overview = client.get(response.url).content.decode()
    assert "Vue d&#x27;ensemble" in overview or "Vue d'ensemble" in overview
    assert (
        "Voir l'accompagnement"
        in client.get(support.application.get_absolute_url()).content.decode()
    )


def test_the_holder_finds_it_from_its_project_and_a_stranger_gets_404(client, support):
    client.force_login(support.holder)
    page = client.get(reverse("followup:project", args=[support.world.project.slug]))
    assert support.follow_up.title in page.content.decode()
    assert client.get(reverse("followup:detail", args=[support.follow_up.pk])).status_code == 200
    client.force_login(support.outsider)
    assert client.get(reverse("followup:detail", args=[support.follow_up.pk])).status_code == 404
    for name in ("conventions", "days", "grants", "deliverables", "roadmap"):
        url = reverse(f"followup:{name}", args=[support.follow_up.pk])
        assert client.get(url).status_code == 404


def test_the_list_is_bounded_in_queries(client, support, django_assert_max_num_queries):
    client.force_login(support.manager)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("followup:index")).status_code == 200


def _edit(client, support, **years):
    follow_up = support.follow_up
    data = {
        "title": follow_up.title, "starts_on": follow_up.starts_on.isoformat(),
        "ends_on": follow_up.ends_on.isoformat(), "days_budget": "36",
        **{f"year_{year}": days for year, days in years.items()},
    }  # fmt: skip
    return client.post(reverse("followup:edit", args=[follow_up.pk]), data)


def test_the_manager_splits_the_days_by_year_and_the_plan_follows(client, support):
    client.force_login(support.manager)
    page = client.get(reverse("followup:edit", args=[support.follow_up.pk])).content.decode()
    # 1 January 2025 to 1 January 2028: three calendar years, not a fourth of no day.
    assert all(f"Jours prévus en {year}" in page for year in (2025, 2026, 2027))
    assert "Jours prévus en 2028" not in page
    assert _edit(client, support, **{"2025": "20", "2026": "10", "2027": "6"}).status_code == 302
    assert dict(support.follow_up.years.values_list("year", "days")) == {
        2025: 20, 2026: 10, 2027: 6,
    }  # fmt: skip
    days = client.get(reverse("followup:days", args=[support.follow_up.pk])).content.decode()
    # Planned by the end of 2025: the first year's 20 days (36 spread evenly would say 12,0).
    assert '<th scope="row">décembre 2025</th><td>19,9</td>' in days
    assert _edit(client, support).status_code == 302  # every year emptied: no split any more
    assert not support.follow_up.years.exists()


def test_a_split_that_does_not_add_up_comes_back_with_its_message(client, support):
    client.force_login(support.manager)
    response = _edit(client, support, **{"2025": "20", "2026": "10", "2027": "1"})
    assert response.status_code == 400
    assert "La répartition par année (31 j) doit égaler les jours prévus (36 j)." in (
        response.content.decode()
    )
    response = _edit(client, support, **{"2025": "20", "2026": "16"})
    assert response.status_code == 400 and "Renseignez chaque année, ou aucune." in (
        response.content.decode()
    )
    assert not support.follow_up.years.exists()
