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
