"""The label's performance check (issue 15): a file reads the project's targets and measurements
of the national base from the indicators app, with an automatic status, and its experts comment
the indicators while they assess it."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ecoquartier.core.models import ActivityEvent
from ecoquartier.indicators import services as indicator_services
from ecoquartier.indicators.models import IndicatorValue
from ecoquartier.indicators.status import Status
from ecoquartier.labels import performance, services
from ecoquartier.labels.models import FileState, IndicatorComment, LabelFile
from ecoquartier.organisations.models import Membership
from tests.labels.factories import (
    apply,
    base_indicator,
    local_session,
    member,
    national_set,
    record_base_values,
    sign_and_acknowledge,
)
from tests.organisations.factories import OrganisationFactory


@pytest.fixture
def file(world):
    sign_and_acknowledge(world)
    file = apply(world)  # CC-04: target 35 % for 2030, measured 32 % a month ago
    return services.assign_experts(
        world.manager, file, coordinator=world.experts[0], second=world.experts[1]
    )


def row_of(rows, code):
    return next(r for r in rows if r.indicator.code == code)


def test_the_check_lists_the_national_base_with_target_achieved_and_status(world, file):
    rows = performance.check(file, restricted=True)
    base = national_set().indicators.filter(label_base=True).count()
    assert len(rows) == base
    social = row_of(rows, "CC-04")
    assert (social.line.target.value, social.line.target.year) == (35, 2030)
    assert social.line.latest.value == 32
    # Higher is better, no baseline: judged against the target itself.
    assert social.line.status == Status.OFF_TRACK
    assert row_of(rows, "SO-05").line.status == Status.NO_DATA


def test_the_latest_target_year_and_the_latest_measurement_win(world, file):
    indicator = base_indicator("CC-04")
    indicator_services.record_value(
        world.holder, world.project, indicator, kind="target", value="30", year=2035
    )
    indicator_services.record_value(
        world.holder, world.project, indicator, kind="measurement", value="36",
        date=date.today(),
    )  # fmt: skip
    social = row_of(performance.check(file, restricted=True), "CC-04")
    assert (social.line.target.year, social.line.latest.value) == (2035, 36)
    assert social.line.status == Status.ON_TRACK


def test_restricted_values_stay_out_for_readers_who_may_not_see_them(world, file):
    IndicatorValue.objects.filter(project=world.project, kind="measurement").update(
        visibility="restricted"
    )
    assert row_of(performance.check(file, restricted=False), "CC-04").line.latest is None
    assert row_of(performance.check(file, restricted=True), "CC-04").line.latest is not None


def test_the_project_s_own_indicators_follow_the_national_base(world, file):
    own = national_set().indicators.create(
        code="P-1", name="Surface du parc", unit="ha", direction="higher",
        challenge="key_figures", source="declared", project=world.project,
    )  # fmt: skip
    rows = performance.check(file, restricted=True)
    assert rows[-1].indicator == own


def test_the_check_of_many_files_takes_a_fixed_number_of_queries(
    world, file, django_assert_max_num_queries
):
    from tests.projects.factories import ProjectFactory

    other = ProjectFactory(holders=[world.saint_ouen], name="Les Berges", slug="les-berges")
    sign_and_acknowledge(world, project=other)
    second = apply(world, project=other)
    record_base_values(world, project=other, code="SO-05", target="50", achieved="60")
    files = list(LabelFile.objects.select_related("project"))
    with django_assert_max_num_queries(4):
        checks = performance.checks(files, restricted=True)
    assert set(checks) == {file.pk, second.pk}
    assert row_of(checks[second.pk], "SO-05").line.latest.value == 60
    assert row_of(checks[file.pk], "SO-05").line.latest is None


def test_a_file_expert_comments_an_indicator_and_it_is_logged(world, file):
    indicator = base_indicator("CC-04")
    comment = services.comment_indicator(
        world.experts[1], file, indicator, "  Écart de 3 points à expliquer.  "
    )
    assert comment.text == "Écart de 3 points à expliquer." and comment.author == world.experts[1]
    social = row_of(performance.check(file, restricted=True), "CC-04")
    assert [c.text for c in social.comments] == ["Écart de 3 points à expliquer."]
    event = ActivityEvent.objects.get(verb="label.indicator_commented")
    assert "Part de logements sociaux" in event.summary


@pytest.mark.parametrize("who", ["holder", "manager", "referent", "third_expert"])
def test_others_than_the_file_s_experts_may_not_comment(world, file, who):
    user = world.experts[2] if who == "third_expert" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.comment_indicator(user, file, base_indicator("CC-04"), "Commentaire.")
    assert not IndicatorComment.objects.exists()


def test_comments_close_once_the_local_commission_decided(world, file):
    LabelFile.objects.filter(pk=file.pk).update(state=FileState.PROPOSED)
    with pytest.raises(PermissionDenied):
        services.comment_indicator(world.experts[0], file, base_indicator("CC-04"), "Trop tard.")


def test_an_empty_comment_or_an_indicator_outside_the_check_is_refused_in_french(world, file):
    with pytest.raises(ValidationError) as error:
        services.comment_indicator(world.experts[0], file, base_indicator("CC-04"), "   ")
    assert error.value.message_dict == {"text": ["Écrivez votre commentaire."]}
    not_base = base_indicator("CC-01")  # surface: a key figure, not in the label's base
    with pytest.raises(ValidationError) as error:
        services.comment_indicator(world.experts[0], file, not_base, "Hors bilan.")
    assert "ne fait pas partie du bilan" in str(error.value)


# --- Pages ---------------------------------------------------------------------------------


def url(name, *args):
    return reverse(f"labels:{name}", args=args)


def test_the_file_page_shows_the_table_and_the_expert_comment_form(client, world, file):
    client.force_login(world.experts[0])
    body = client.get(url("file", file.pk)).content.decode()
    assert "Bilan des indicateurs" in body and "Part de logements sociaux" in body
    assert "En retard sur l&#x27;objectif" in body
    assert "Commenter un indicateur" in body
    client.force_login(world.holder)
    body = client.get(url("file", file.pk)).content.decode()
    assert "Bilan des indicateurs" in body and "Commenter un indicateur" not in body
    assert reverse("indicators:board", args=[world.project.slug]) in body


def test_the_expert_posts_a_comment_and_reads_it_on_the_file(client, world, file):
    client.force_login(world.experts[0])
    indicator = base_indicator("CC-04")
    response = client.post(
        url("comment_indicator", file.pk), {"indicator": indicator.pk, "text": "À confirmer."}
    )
    assert response.status_code == 302
    assert "À confirmer." in client.get(url("file", file.pk)).content.decode()


def test_an_empty_comment_is_shown_again_with_the_french_message(client, world, file):
    client.force_login(world.experts[0])
    response = client.post(
        url("comment_indicator", file.pk), {"indicator": base_indicator("CC-04").pk, "text": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Le commentaire n" in body and "pas été enregistré" in body
    assert "Ce champ est obligatoire." in body


def test_the_holder_may_not_post_a_comment_and_strangers_get_404(client, world, file):
    data = {"indicator": base_indicator("CC-04").pk, "text": "Non."}
    client.force_login(world.holder)
    assert client.post(url("comment_indicator", file.pk), data).status_code == 403
    client.force_login(member(OrganisationFactory(), Membership.Role.PROJECT_HOLDER))
    assert client.post(url("comment_indicator", file.pk), data).status_code == 404
    assert not IndicatorComment.objects.exists()


def test_the_file_page_stays_bounded_in_queries(client, world, file, django_assert_max_num_queries):
    for code in ("SO-05", "RE-01", "IN-02"):
        record_base_values(world, code=code, target="50", achieved="40")
        services.comment_indicator(world.experts[0], file, base_indicator(code), "Vu.")
    client.force_login(world.experts[0])
    with django_assert_max_num_queries(60) as captured:
        client.get(url("file", file.pk))
    many = len(captured)
    for code in ("SO-06", "SO-08", "CV-04"):
        record_base_values(world, code=code, target="50", achieved="40")
        services.comment_indicator(world.experts[0], file, base_indicator(code), "Vu.")
    with django_assert_max_num_queries(many):
        client.get(url("file", file.pk))


def test_the_commission_sees_the_table_on_its_agenda(client, world, file):
    from tests.labels.factories import expertise_done

    expertise_done(world, LabelFile.objects.get(pk=file.pk))
    session = local_session(world)
    client.force_login(world.referent)
    body = client.get(url("session", session.pk)).content.decode()
    assert "Bilan des indicateurs" in body and "Part de logements sociaux" in body


def test_from_ecoprojet_the_label_page_points_the_holder_to_the_targets(client, world):
    sign_and_acknowledge(world)
    client.force_login(world.holder)
    body = client.get(url("project", world.project.slug)).content.decode()
    assert "Fixer les objectifs" in body
    assert "0 indicateurs du socle national sur 21 ont un objectif" in body
    record_base_values(world)
    body = client.get(url("project", world.project.slug)).content.decode()
    assert "1 indicateur du socle national sur 21 a un objectif" in body
    client.force_login(world.referent)
    body = client.get(url("project", world.project.slug)).content.decode()
    assert "Fixer les objectifs" not in body


def test_a_file_for_a_stage_without_indicators_shows_no_table(client, world, file):
    from tests.labels.factories import stage

    LabelFile.objects.filter(pk=file.pk).update(target_stage=stage("vecu"))
    client.force_login(world.experts[0])
    body = client.get(url("file", file.pk)).content.decode()
    assert "Bilan des indicateurs" not in body and "Commenter un indicateur" not in body
