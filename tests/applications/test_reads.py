"""The dashboard and ranking rows (plain dicts formatted as <tr>) show what the model instances
show."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ecoquartier.applications import reads
from ecoquartier.applications.models import Application, State
from ecoquartier.applications.reads import filtered_applications
from tests.applications.factories import submitted_application


def dashboard_rows(world):
    applications = filtered_applications(world.manager, world.call, {})
    return {row["pk"]: row for row in reads.dashboard_rows(reads.dashboard_queryset(applications))}


def test_dashboard_rows_show_what_the_instances_show(world, geo):
    commune = submitted_application(world)
    departement = submitted_application(world, State.UNDER_REVIEW)
    nowhere = submitted_application(world, State.SELECTED)
    Application.objects.filter(pk=commune.pk).update(eligible=True, score=Decimal("12.50"))
    Application.objects.filter(pk=departement.pk).update(
        territory=geo.alpes_hp, eligible=False, score=Decimal("0.00")
    )
    Application.objects.filter(pk=nowhere.pk).update(territory=None, eligible=None, score=None)
    world.intention.label = "Note d'intention <courte>"
    world.intention.save()

    with translation.override("fr"):
        found = dashboard_rows(world)
    for application in Application.objects.filter(call=world.call).select_related(
        "organisation", "territory", "step"
    ):
        row = found[application.pk]
        assert row["url"] == application.get_absolute_url()
        assert row["organisation"] == application.organisation.name
        assert row["territory"] == str(application.territory or "")
        assert row["step"] == str(application.step)
        assert row["state_label"] == application.get_state_display()
        assert row["badge_class"] == application.badge_class
    assert found[commune.pk]["territory"] == "Reillanne (04160)"
    assert found[departement.pk]["territory"] == "Alpes-de-Haute-Provence"
    assert [found[a.pk]["eligible_label"] for a in (commune, departement, nowhere)] == [
        "oui", "non", "—",
    ]  # fmt: skip
    # As `{{ score|default:"—" }}`: a zero score shows a dash too.
    assert [found[a.pk]["score"] for a in (commune, departement, nowhere)] == ["12,50", "—", "—"]


def test_row_values_are_escaped_in_the_page(client, world):
    application = submitted_application(world)
    Application.objects.filter(pk=application.pk).update(title="Quartier <b>des</b> « Aires »")
    world.intention.label = "Note <i>courte</i>"
    world.intention.save()
    client.force_login(world.manager)
    page = client.get(reverse("applications:dashboard", args=[world.call.slug])).content.decode()
    assert "Quartier &lt;b&gt;des&lt;/b&gt; « Aires »" in page
    assert "<b>des</b>" not in page
    assert "<td>Note &lt;i&gt;courte&lt;/i&gt;</td>" in page
    assert f'id="select-{application.pk}"' in page


def test_ranking_rows_are_numbered_from_the_page_start(client, world):
    for score in ("14.00", "16.50", "9.25"):
        application = submitted_application(world, State.UNDER_REVIEW)
        Application.objects.filter(pk=application.pk).update(
            score=Decimal(score), review_score=Decimal(score), bonus=1, score_spread=Decimal(0)
        )
    client.force_login(world.manager)
    page = client.get(reverse("applications:ranking", args=[world.call.slug])).content.decode()
    cells = [
        "<tr><td>1</td>",
        # Score, mean of the reviews, bonus, spread (zero: a dash), number of reviews.
        "<td>16,50</td><td>16,50</td><td>1</td><td>—</td><td>0</td>",
        "<tr><td>2</td>",
        "<td>14,00</td>",
        "<tr><td>3</td>",
        "<td>9,25</td>",
    ]
    positions = [page.index(cell) for cell in cells]
    assert positions == sorted(positions)


def test_options_are_escaped_and_the_chosen_one_selected():
    html = reads.options_html([("", "Tous"), (3, "Côte <d'Or>"), ("x", "X & Y")], "3")
    assert html == (
        '<option value="">Tous</option>'
        '<option value="3" selected>Côte &lt;d&#x27;Or&gt;</option>'
        '<option value="x">X &amp; Y</option>'
    )


def test_the_territory_filter_lists_departements_then_regions(client, world, geo):
    client.force_login(world.manager)
    url = reverse("applications:dashboard", args=[world.call.slug])
    page = client.get(f"{url}?territory={geo.alpes_hp.pk}").content.decode()
    select = page[
        page.index('id="filter-territory"') : page.index(
            "</select>", page.index('id="filter-territory"')
        )
    ]
    names = ["Alpes-de-Haute-Provence", "Finistère", "Bretagne", "Provence-Alpes-Côte d&#x27;Azur"]
    positions = [select.index(f">{name}</option>") for name in names]
    assert positions == sorted(positions)
    assert f'<option value="{geo.alpes_hp.pk}" selected>Alpes-de-Haute-Provence</option>' in select
    assert "Reillanne" not in select
    # Cached: the next page lists them without reading the territories again.
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert not [q for q in ctx.captured_queries if "territories_territory" in q["sql"]]


def test_the_territory_filter_shows_a_renamed_departement_at_once(client, world, geo):
    client.force_login(world.manager)
    url = reverse("applications:dashboard", args=[world.call.slug])
    assert ">Alpes-de-Haute-Provence</option>" in client.get(url).content.decode()
    geo.alpes_hp.name = "Alpes de Haute-Provence"
    geo.alpes_hp.save()
    page = client.get(url).content.decode()
    assert ">Alpes de Haute-Provence</option>" in page
    assert ">Alpes-de-Haute-Provence</option>" not in page
