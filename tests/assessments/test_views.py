import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ecoquartier.assessments.models import Assessment, Evidence, Gap
from tests.assessments.factories import (
    AssessmentFactory,
    add_gap,
    answer,
    answer_all,
    mock_expertise,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def answer_payload(item, level, narrative, revision=None):
    prefix = f"a{item.pk}"
    return {
        f"{prefix}-level": "" if level is None else str(level),
        f"{prefix}-narrative": narrative,
        f"{prefix}-revision": str(item.revision if revision is None else revision),
    }


def answer_url(assessment, item):
    return reverse("assessments:answer", kwargs={"pk": assessment.pk, "answer_pk": item.pk})


# --- Access -------------------------------------------------------------------------------------


def test_an_unassigned_expert_is_told_the_assessment_does_not_exist(client, public_people):
    """An assessment one may not read answers 404 even when its project is public (it was 403:
    the page confirmed that the assessment exists)."""
    assessment = mock_expertise(public_people)
    client.force_login(public_people.unassigned_expert)
    assert client.get(assessment.get_absolute_url()).status_code == 404
    assert client.get(reverse("assessments:results", args=[assessment.pk])).status_code == 404


def test_a_manager_of_another_region_gets_404_and_changes_nothing(client, people):
    """Finding 2: a regional programme manager read a private project's draft self-assessment
    and its evidence, validated an expertise of another région, reassigned its experts and
    closed a gap."""
    draft = AssessmentFactory(project=people.project)
    item = answer(draft, 1)
    evidence = Evidence.objects.create(answer=item, title="Note", file=ContentFile(b"%PDF-1.4",
                                       name="note.pdf"), size=8)  # fmt: skip
    submitted = mock_expertise(people, status=Assessment.Status.SUBMITTED)
    gap = add_gap(submitted, 2)
    client.force_login(people.other_region_manager)
    pages = [
        reverse("assessments:detail", args=[draft.pk]),
        reverse("assessments:results", args=[draft.pk]),
        reverse("assessments:evidence", args=[draft.pk, evidence.pk]),
        reverse("assessments:report", args=[submitted.pk]),
        reverse("assessments:experts", args=[submitted.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    actions = [
        (reverse("assessments:transition", args=[submitted.pk, "validate"]), {}),
        (reverse("assessments:gap_status", args=[submitted.pk, gap.pk]), {"status": "closed"}),
        (
            reverse("assessments:experts", args=[submitted.pk]),
            {"lead_expert": people.unassigned_expert.pk},
        ),
    ]
    for url, data in actions:
        assert client.post(url, data).status_code == 404, url
    submitted.refresh_from_db()
    gap.refresh_from_db()
    assert (submitted.status, submitted.lead_expert, gap.status) == (
        Assessment.Status.SUBMITTED, people.lead_expert, Gap.Status.OPEN,
    )  # fmt: skip


def test_an_expert_cannot_open_an_expertise_to_read_the_self_assessment(client, public_people):
    """Finding 4 at the view level: the project is public, so the refusal is a 403."""
    people = public_people
    self_assessment = AssessmentFactory(project=people.project)
    client.force_login(people.unassigned_expert)
    url = reverse("assessments:create", kwargs={"slug": people.project.slug})
    data = {"kind": "mock", "assessed_on": "2026-01-15",
            "lead_expert": people.unassigned_expert.pk}  # fmt: skip
    assert client.post(url, data).status_code == 403
    assert list(Assessment.objects.filter(project=people.project)) == [self_assessment]
    assert client.get(self_assessment.get_absolute_url()).status_code == 404


def test_a_referent_opens_an_expertise_for_the_expert_they_name(client, people):
    client.force_login(people.referent)
    url = reverse("assessments:create", kwargs={"slug": people.project.slug})
    page = client.get(reverse("assessments:project", kwargs={"slug": people.project.slug}))
    assert "Expert référent" in page.content.decode()
    response = client.post(url, {"kind": "mock", "assessed_on": "2026-01-15"})
    assert response.status_code == 400
    assert "Désignez l&#x27;expert référent" in response.content.decode()
    data = {"kind": "mock", "assessed_on": "2026-01-15", "lead_expert": people.lead_expert.pk}
    response = client.post(url, data)
    assessment = Assessment.objects.get(project=people.project)
    assert response.status_code == 302 and assessment.lead_expert == people.lead_expert
    client.force_login(people.lead_expert)
    assert client.get(assessment.get_absolute_url()).status_code == 200


def test_another_organisation_gets_404_on_a_private_projects_assessment(client, people):
    assessment = AssessmentFactory(project=people.project)
    client.force_login(people.outsider)
    for name in ("detail", "results", "report"):
        assert client.get(reverse(f"assessments:{name}", args=[assessment.pk])).status_code == 404
    gaps_url = reverse("assessments:gaps", kwargs={"slug": people.project.slug})
    assert client.get(gaps_url).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, people):
    assessment = AssessmentFactory(project=people.project)
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def test_a_referent_reads_but_sees_no_form(client, people):
    assessment = AssessmentFactory(project=people.project)
    client.force_login(people.referent)
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    assert b"lecture seule" in response.content
    assert b'name="a' not in response.content
    item = answer(assessment, 1)
    posted = client.post(answer_url(assessment, item), answer_payload(item, 3, "x"), **HTMX)
    assert posted.status_code == 403


# --- The form -----------------------------------------------------------------------------------


def test_the_form_lists_twenty_commitments_with_a_length_counter(client, people):
    assessment = AssessmentFactory(project=people.project)
    client.force_login(people.holder)
    content = client.get(assessment.get_absolute_url()).content.decode()
    assert content.count('class="eq-answer fr-mb-4w"') == 20
    assert "0 / 5000 caractères" in content
    assert 'maxlength="5000"' in content


def test_saving_one_commitment_with_htmx_returns_the_fragment_and_the_new_completion(
    client, people
):
    assessment = AssessmentFactory(project=people.project)
    item = answer(assessment, 6)
    client.force_login(people.holder)
    response = client.post(
        answer_url(assessment, item), answer_payload(item, 3, "Reconquête d'une friche."), **HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Enregistré à" in content
    assert 'id="completion" class="eq-completion fr-mb-3w" hx-swap-oob="true"' in content
    assert "Avancement : 5 %" in content
    item.refresh_from_db()
    assert (item.level, item.narrative, item.revision) == (3, "Reconquête d'une friche.", 2)


def test_line_breaks_count_once_against_the_length_limit(client, people):
    assessment = AssessmentFactory(project=people.project)
    item = answer(assessment, 1)
    client.force_login(people.holder)
    text = ("a" * 99 + "\r\n") * 50  # 5,000 characters once line breaks are normalised
    client.post(answer_url(assessment, item), answer_payload(item, 1, text.strip()), **HTMX)
    item.refresh_from_db()
    assert item.revision == 2


def test_the_second_writer_is_told_and_their_text_is_shown_not_saved(client, people):
    assessment = AssessmentFactory(project=people.project)
    item = answer(assessment, 6)
    client.force_login(people.holder)
    client.post(answer_url(assessment, item), answer_payload(item, 3, "Première version"), **HTMX)
    response = client.post(
        answer_url(assessment, item),
        answer_payload(item, 1, "Seconde version concurrente", revision=1),
        **HTMX,
    )
    content = response.content.decode()
    assert "modifié pendant votre saisie" in content
    assert "Seconde version concurrente" in content  # kept aside for the second writer
    assert ">Première version</textarea>" in content  # the saved version is in the form
    item.refresh_from_db()
    assert item.narrative == "Première version"


def test_without_javascript_a_save_redirects_to_the_commitment(client, people):
    assessment = AssessmentFactory(project=people.project)
    item = answer(assessment, 6)
    client.force_login(people.holder)
    response = client.post(answer_url(assessment, item), answer_payload(item, 2, "ok"))
    assert response.status_code == 302
    assert response["Location"].endswith("#engagement-6")


def test_an_overlong_narrative_is_refused_and_the_text_kept(client, people):
    assessment = AssessmentFactory(project=people.project)
    item = answer(assessment, 6)
    client.force_login(people.holder)
    response = client.post(answer_url(assessment, item), answer_payload(item, 2, "é" * 5001))
    assert response.status_code == 409
    assert "é" * 5001 in response.content.decode()
    item.refresh_from_db()
    assert item.revision == 1


def test_recording_a_gap_with_htmx(client, people):
    assessment = mock_expertise(people)
    item = answer(assessment, 20)
    client.force_login(people.lead_expert)
    url = reverse("assessments:gap_add", kwargs={"pk": assessment.pk, "answer_pk": item.pk})
    prefix = f"g{item.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-description": "Inventaire écologique incomplet.",
            f"{prefix}-proposal": "Inventaire sur quatre saisons.",
            f"{prefix}-priority": "high",
            f"{prefix}-owner": "Ville",
            f"{prefix}-due_date": "2026-06-30",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "Inventaire sur quatre saisons." in response.content.decode()
    assert Gap.objects.get().priority == "high"


def test_submitting_from_the_page(client, people):
    assessment = AssessmentFactory(project=people.project)
    assessment.answers.filter(commitment__number=1).update(level=1)
    client.force_login(people.holder)
    url = reverse("assessments:transition", kwargs={"pk": assessment.pk, "name": "submit"})
    response = client.post(url, follow=True)
    assert "Soumise" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.SUBMITTED


# --- Bounded queries ----------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("name", ["detail", "results"])
def test_form_and_results_queries_do_not_grow_with_answers(
    client, people, name, django_assert_max_num_queries
):
    assessment = AssessmentFactory(project=people.project)
    url = reverse(f"assessments:{name}", args=[assessment.pk])
    client.force_login(people.holder)
    client.get(url)  # warm caches (content types, session)
    empty = _queries(client, url)
    answer_all(assessment, level=2, narrative="**Bien** engagé.")
    for number in (1, 5, 9, 14, 20):
        add_gap(assessment, number)
    with django_assert_max_num_queries(empty):
        client.get(url)
    assert empty <= 20


# --- Results and comparison ---------------------------------------------------------------------


def test_results_show_a_radar_with_twenty_axes_and_the_same_data_as_a_table(client, people):
    assessment = AssessmentFactory(project=people.project)
    answer_all(assessment, level=3)
    client.force_login(people.holder)
    content = client.get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    svg = content[content.index("<svg") : content.index("</svg>")]
    assert svg.count('font-size="15"') == 1
    assert svg.count("<circle") == 20
    assert svg.count("<path") == 4  # one coloured arc per dimension
    assert 'role="img"' in svg
    assert content.count("3 — Satisfaisant") == 20
    assert "Moyenne par dimension" in content


def test_the_comparison_shows_both_profiles_deltas_and_gap_movements(client, people):
    before = AssessmentFactory(project=people.project, assessed_on="2025-03-01")
    after = mock_expertise(people, assessed_on="2025-09-01")
    before.answers.update(level=1)
    after.answers.update(level=3)
    add_gap(before, 8, status=Gap.Status.CLOSED, description="Sols pollués non caractérisés.")
    add_gap(after, 14, description="Stationnement surdimensionné.")
    client.force_login(people.holder)
    url = reverse("assessments:compare", kwargs={"pk": after.pk, "other_pk": before.pk})
    content = client.get(url).content.decode()
    svg = content[content.index("<svg") : content.index("</svg>")]
    assert svg.count("<polygon") == 4 + 2  # four rings, two profiles
    assert 'stroke-dasharray="8 5"' in svg
    # Each commitment's delta, in its cell (a page-wide count also met the "+2" that a random
    # CSP nonce may hold).
    assert content.count('<span class="eq-delta--up">+2</span>') == 20
    assert "Sols pollués non caractérisés." in content
    assert "Stationnement surdimensionné." in content


def test_assessments_of_two_projects_are_not_compared(client, people):
    mine = AssessmentFactory(project=people.project)
    client.force_login(people.manager)
    other = AssessmentFactory()
    url = reverse("assessments:compare", kwargs={"pk": mine.pk, "other_pk": other.pk})
    assert client.get(url).status_code == 404


# --- Gap list and exports -----------------------------------------------------------------------


@pytest.fixture
def gap_list(people):
    assessment = mock_expertise(people)
    add_gap(assessment, 14, priority="high", owner="Ville", description="Parkings en surface.")
    add_gap(assessment, 20, priority="low", owner="Aménageur", description="Pas d'inventaire.")
    add_gap(assessment, 20, status=Gap.Status.CLOSED, description="Écart déjà levé.")
    return reverse("assessments:gaps", kwargs={"slug": people.project.slug})


def test_the_gap_list_shows_open_gaps_by_default(client, people, gap_list):
    client.force_login(people.holder)
    content = client.get(gap_list).content.decode()
    assert "Parkings en surface." in content
    assert "Pas d&#x27;inventaire." in content
    assert "Écart déjà levé." not in content


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?status=open&priority=high", "Parkings en surface.", "inventaire"),
        ("?status=&owner=Am%C3%A9nageur", "inventaire", "Parkings en surface."),
        ("?status=&commitment=20", "Écart déjà levé.", "Parkings en surface."),
    ],
)
def test_the_gap_list_filters(client, people, gap_list, query, shown, hidden):
    client.force_login(people.holder)
    content = client.get(gap_list + query).content.decode()
    assert shown in content
    assert hidden not in content


def test_the_gap_filters_offer_only_what_the_reader_may_see(client, public_people):
    people = public_people
    expertise = mock_expertise(people)
    add_gap(expertise, 14, owner="Aménageur", description="Parkings en surface.")
    add_gap(expertise, 20, owner="Aménageur", description="Pas d'inventaire.")
    draft = AssessmentFactory(project=people.project)  # the commune's own, still a draft
    add_gap(draft, 3, owner="Cabinet du maire", description="Note interne.")
    gap_list = reverse("assessments:gaps", kwargs={"slug": people.project.slug})
    client.force_login(people.co_expert)  # reads the expertise they work on, not the draft
    content = client.get(gap_list + "?status=").content.decode()
    assert '<option value="Aménageur">Aménageur</option>' in content
    assert "Cabinet du maire" not in content
    assert "Note interne." not in content
    commitments = content[
        content.index('name="commitment"') : content.index(
            "</select>", content.index('name="commitment"')
        )
    ]
    assert '<option value="14">' in commitments and '<option value="20">' in commitments
    assert '<option value="3">' not in commitments
    client.force_login(people.holder)
    content = client.get(gap_list + "?status=").content.decode()
    assert "Cabinet du maire" in content and "Note interne." in content


def test_the_gap_list_queries_do_not_grow_with_gaps(
    client, people, gap_list, django_assert_max_num_queries
):
    client.force_login(people.holder)
    client.get(gap_list)  # warm caches (content types, session)
    few = _queries(client, gap_list + "?status=")
    for number in range(1, 21):
        add_gap(AssessmentFactory(project=people.project), number, owner=f"Service {number}")
    with django_assert_max_num_queries(few):
        content = client.get(gap_list + "?status=").content.decode()
    assert content.count("<tr>") == 3 + 20 + 1  # header row included


def test_gaps_export_as_csv_with_the_same_filters(client, people, gap_list):
    client.force_login(people.holder)
    url = reverse("assessments:gaps_export", kwargs={"slug": people.project.slug, "fmt": "csv"})
    response = client.get(url + "?status=open&priority=high")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("Évaluation;")
    assert len(text.splitlines()) == 2
    assert "Parkings en surface." in text


def test_gaps_export_as_xlsx(client, people, gap_list):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(people.holder)
    url = reverse("assessments:gaps_export", kwargs={"slug": people.project.slug, "fmt": "xlsx"})
    sheet = load_workbook(BytesIO(client.get(url).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "Écart constaté"
    assert len(rows) == 3  # header + two open gaps


# --- PDF report ---------------------------------------------------------------------------------


def test_the_pdf_report_is_built_in_the_background_and_downloads(
    client, people, django_capture_on_commit_callbacks
):
    from io import BytesIO

    from pypdf import PdfReader

    assessment = mock_expertise(people)
    answer_all(assessment, level=2, narrative="Démarche engagée avec les habitants.")
    add_gap(assessment, 20, description="Inventaire écologique absent.")
    client.force_login(people.holder)
    url = reverse("assessments:report", args=[assessment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    report = assessment.reports.get()
    assert (report.status, report.progress) == ("ready", 100)
    page = client.get(url).content.decode()
    assert "Télécharger le rapport PDF" in page
    download = client.get(
        reverse("assessments:report_download", kwargs={"pk": assessment.pk, "report_pk": report.pk})
    )
    assert download["Content-Type"] == "application/pdf"
    pdf = PdfReader(BytesIO(b"".join(download.streaming_content)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Écoquartier des Docks" in text
    assert "Inventaire écologique absent." in text


def test_report_progress_is_polled_while_running(client, people):
    assessment = mock_expertise(people)
    report = assessment.reports.create(status="running", progress=40)
    client.force_login(people.holder)
    url = reverse("assessments:report_status", kwargs={"pk": assessment.pk, "report_pk": report.pk})
    content = client.get(url, **HTMX).content.decode()
    assert "40 %" in content
    assert 'hx-trigger="every 1s"' in content


def test_the_project_page_links_to_its_assessments(client, people):
    client.force_login(people.holder)
    content = client.get(people.project.get_absolute_url()).content.decode()
    assert f'href="/evaluations/projet/{people.project.slug}/"' in content


def test_evidence_upload_download_and_refusal(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assessment = AssessmentFactory(project=people.project)
    item = answer(assessment, 19)
    url = reverse("assessments:evidence_add", kwargs={"pk": assessment.pk, "answer_pk": item.pk})
    client.force_login(people.holder)
    pdf = SimpleUploadedFile("noues.pdf", b"%PDF-1.4 plan des noues", "application/pdf")
    response = client.post(
        url, {f"e{item.pk}-title": "Plan des noues", f"e{item.pk}-file": pdf}, **HTMX
    )
    assert "Plan des noues" in response.content.decode()
    evidence = item.evidence.get()
    download = reverse(
        "assessments:evidence", kwargs={"pk": assessment.pk, "evidence_pk": evidence.pk}
    )
    assert b"".join(client.get(download).streaming_content).startswith(b"%PDF")
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90", "application/octet-stream")
    refused = client.post(url, {f"e{item.pk}-file": bad})
    assert refused.status_code == 400
    assert "virus.exe » : type de fichier non accepté" in refused.content.decode()
    client.force_login(people.outsider)
    assert client.get(download).status_code == 404


def test_the_gap_form_is_fetched_on_demand_or_shown_on_its_own_page(client, people):
    assessment = mock_expertise(people)
    item = answer(assessment, 20)
    url = reverse("assessments:gap_add", kwargs={"pk": assessment.pk, "answer_pk": item.pk})
    client.force_login(people.lead_expert)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert f'hx-get="{url}" hx-trigger="toggle once"' in page
    assert f'name="g{item.pk}-description"' not in page
    fragment = client.get(url, **HTMX).content.decode()
    assert fragment.lstrip().startswith("<form")
    assert f'name="g{item.pk}-description"' in fragment
    full = client.get(url).content.decode()
    assert "<h1>Relever un écart</h1>" in full
    assert "hx-disable" in full


def test_a_report_nobody_picks_up_says_the_task_service_seems_stopped(client, people):
    from datetime import timedelta

    from django.utils import timezone

    assessment = mock_expertise(people)
    report = assessment.reports.create()
    assessment.reports.filter(pk=report.pk).update(
        requested_at=timezone.now() - timedelta(minutes=5)
    )
    client.force_login(people.holder)
    content = client.get(reverse("assessments:report", args=[assessment.pk])).content.decode()
    assert "service des tâches de fond semble arrêté" in content


def test_gap_exports_neutralise_formulas(client, people):
    assessment = mock_expertise(people)
    add_gap(assessment, 14, owner="@Ville", description='=HYPERLINK("http://x","y")')
    client.force_login(people.holder)
    url = reverse("assessments:gaps_export", kwargs={"slug": people.project.slug, "fmt": "csv"})
    text = client.get(url).content.decode("utf-8-sig")
    row = text.splitlines()[1].split(";")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in row and "'@Ville" in row
    url = reverse("assessments:gaps_export", kwargs={"slug": people.project.slug, "fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert '\'=HYPERLINK("http://x","y")' in values and "'@Ville" in values


def test_a_nul_byte_in_a_transition_motive_is_a_french_bad_request(client, people):
    """PostgreSQL refuses NUL in the activity log's motive: it was a 500 there."""
    assessment = AssessmentFactory(project=people.project)
    assessment.answers.filter(commitment__number=1).update(level=1)
    client.force_login(people.holder)
    url = reverse("assessments:transition", kwargs={"pk": assessment.pk, "name": "submit"})
    response = client.post(url, {"reason": "a\x00b"})
    assert response.status_code == 400 and "Requête invalide" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.DRAFT


def test_an_unknown_level_is_refused_with_a_message_beside_the_levels(client, people):
    """Found by the fuzzer (tests/security): a level of "²" was refused without a word."""
    assessment = AssessmentFactory(project=people.project)
    item = answer(assessment, 6)
    client.force_login(people.holder)
    payload = {**answer_payload(item, 2, "Texte gardé"), f"a{item.pk}-level": "²"}
    response = client.post(answer_url(assessment, item), payload)
    assert response.status_code == 409
    content = response.content.decode()
    assert "fr-fieldset--error" in content
    assert "Sélectionnez un choix valide" in content and "Texte gardé" in content


def test_each_block_links_to_its_own_answer_whatever_the_script_prefix(client, people):
    """The blocks' URLs come from one reversed pattern per name and prefix (views/blocks.py):
    each is the URL Django reverses for that answer, under a sub-path too."""
    from django.urls import get_script_prefix, set_script_prefix

    from ecoquartier.assessments.views.blocks import answer_url as block_url

    assessment = AssessmentFactory(project=people.project)
    items = list(assessment.answers.order_by("commitment__number"))
    saved = get_script_prefix()
    try:
        for prefix in ("/", "/plateforme/"):
            set_script_prefix(prefix)
            for name in ("assessments:answer", "assessments:evidence_add", "assessments:gap_add"):
                for item in (items[0], items[-1]):
                    expected = reverse(name, kwargs={"pk": assessment.pk, "answer_pk": item.pk})
                    assert block_url(name, item) == expected
                    assert expected.startswith(prefix)
    finally:
        set_script_prefix(saved)
    client.force_login(people.holder)
    content = client.get(assessment.get_absolute_url()).content.decode()
    for item in items:
        gap_form = reverse("assessments:gap_add", args=[assessment.pk, item.pk])
        assert f'hx-get="{gap_form}"' in content
