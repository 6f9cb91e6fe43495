"""Every real upload endpoint refuses what the probe posted (issue 10, finding 6) with a French
message beside the field, saves nothing and loses nothing already saved; a good file goes in."""

import html
import re
from dataclasses import dataclass

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from ecoquartier.applications import services as application_services
from ecoquartier.applications.models import AnswerFile, Message
from ecoquartier.assessments import services as assessment_services
from ecoquartier.assessments.models import Evidence
from ecoquartier.calls.models import CallDocument
from ecoquartier.labels.models import Charter
from ecoquartier.organisations.models import Membership
from tests.applications.factories import build_world as application_world
from tests.assessments.factories import AssessmentFactory, answer, cast
from tests.calls.factories import ProgrammeFactory, build_geography
from tests.core.samples import BAD, PDF, sparse_pdf, upload
from tests.labels.factories import build_world as label_world
from tests.labels.factories import member
from tests.referentiel.factories import load_current


@dataclass
class Endpoint:
    user: object
    url: str
    field: str
    data: dict
    stored: object  # () -> the stored names of this kind, to compare before and after
    typed: str = ""  # something typed in the form, which a refusal must give back
    named_after_file: str = ""  # a field left blank takes the file's name


def evidence():
    load_current()
    people = cast(is_public=False)
    assessment = AssessmentFactory(project=people.project)
    item = answer(assessment, 19)
    assessment_services.add_evidence(
        people.holder, item, uploaded_file=upload("noues.pdf", PDF), title="Plan des noues"
    )
    url = reverse("assessments:evidence_add", kwargs={"pk": assessment.pk, "answer_pk": item.pk})
    return Endpoint(
        people.holder, url, f"e{item.pk}-file", {f"e{item.pk}-title": "Photo de la noue"},
        lambda: _names(Evidence, "file"), typed="Photo de la noue",
        named_after_file=f"e{item.pk}-title",
    )  # fmt: skip


def _application():
    world = application_world(build_geography(), two_step=False)
    application = application_services.start_application(
        world.holder, world.call, world.commune, world.project
    )
    return world, application


def message():
    world, application = _application()
    application_services.post_message(
        world.holder, application, "Le plan.", upload("plan.pdf", PDF)
    )
    url = reverse("applications:message", kwargs={"pk": application.pk})
    return Endpoint(
        world.holder, url, "attachment", {"body": "Voici la délibération signée."},
        lambda: _names(Message, "attachment"), typed="Voici la délibération signée.",
    )  # fmt: skip


def answer_file():
    world, application = _application()
    application_services.save_answers(
        world.holder, application, {}, {"deliberation": upload("deliberation.pdf", PDF)}
    )
    url = reverse("applications:edit", kwargs={"pk": application.pk})
    return Endpoint(
        world.holder, url, "deliberation", {"save": ""}, lambda: _names(AnswerFile, "file")
    )


def charter():
    world = label_world(with_campaign=False)
    url = reverse("labels:sign_charter", args=[world.project.slug])
    data = {
        "organisation": world.saint_ouen.pk, "text_version": "Charte ÉcoQuartier 2023",
        "signatory_name": "Karim Bouamrane", "signatory_office": "Maire",
        "deliberation_date": "2024-03-12", "commitment": "on",
    }  # fmt: skip
    return Endpoint(
        world.holder, url, "document", data, lambda: _names(Charter, "document"),
        typed="Karim Bouamrane",
    )  # fmt: skip


def call_document():
    build_geography()
    programme = ProgrammeFactory()
    manager = member(programme.owner, Membership.Role.PROGRAMME_MANAGER)
    data = {
        "kind": "ami", "title": "AMI Friches productives", "version": "1",
        "summary": "Recycler les friches économiques.", "perimeter": "region:93",
        "priorities-0-bonus": "1", "documents-0-title": "Règlement de l'appel",
    }  # fmt: skip
    for prefix in ("steps", "benefits", "priorities", "documents"):
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"})
    url = reverse("calls:call_create", args=[programme.slug])
    return Endpoint(
        manager, url, "documents-0-file", data, lambda: _names(CallDocument, "file"),
        typed="AMI Friches productives",
    )  # fmt: skip


def _names(model, name):
    return sorted(str(getattr(row, name)) for row in model.objects.all())


ENDPOINTS = {
    "evidence": evidence,
    "message attachment": message,
    "answer file": answer_file,
    "charter": charter,
    "call document": call_document,
}


def error_beside(page, name):
    """The error text of the input `name`: the element its aria-describedby points to."""
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)[0]
    target = re.search(r'aria-describedby="([^"]+)"', tag)[1]
    block = re.search(rf'<(\w+)[^>]*\bid="{re.escape(target)}"[^>]*>(.*?)</\1>', page, re.S)[2]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())


def post(client, endpoint, file):
    client.force_login(endpoint.user)
    return client.post(endpoint.url, {**endpoint.data, endpoint.field: file})


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ENDPOINTS)
@pytest.mark.parametrize("bad", BAD)
def test_a_bad_file_is_refused_beside_its_field_and_nothing_is_saved_or_lost(client, kind, bad):
    endpoint = ENDPOINTS[kind]()
    before = endpoint.stored()
    name, content, message = BAD[bad]
    response = post(client, endpoint, upload(name, content))
    assert response.status_code == 400
    page = response.content.decode()
    assert f"« {name} »" in error_beside(page, endpoint.field)
    assert message in error_beside(page, endpoint.field)
    assert endpoint.typed in page
    assert endpoint.stored() == before
    assert all(default_storage.exists(stored) for stored in before)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ENDPOINTS)
def test_a_60_mb_file_is_refused_naming_the_file_and_the_limit(client, kind, tmp_path):
    endpoint = ENDPOINTS[kind]()
    before = endpoint.stored()
    with open(sparse_pdf(tmp_path / "gros.pdf"), "rb") as big:
        response = post(client, endpoint, big)
    assert response.status_code == 400
    error = error_beside(response.content.decode(), endpoint.field)
    assert re.fullmatch(r"« gros\.pdf » pèse 60,0 Mo : la taille maximale est de \d+ Mo\.", error)
    assert endpoint.stored() == before


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ENDPOINTS)
def test_a_good_file_is_accepted(client, kind):
    endpoint = ENDPOINTS[kind]()
    before = endpoint.stored()
    response = post(client, endpoint, upload("Délibération du 12 mars.pdf", PDF))
    assert response.status_code == 302, response.content.decode()[:3000]
    added = set(endpoint.stored()) - set(before)
    assert len(added) == 1
    [name] = added
    assert name.endswith("/Délibération-du-12-mars.pdf")
    assert default_storage.open(name).read() == PDF


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ENDPOINTS)
def test_a_very_long_file_name_is_accepted_and_shortened(client, kind):
    endpoint = ENDPOINTS[kind]()
    before = endpoint.stored()
    name = "Compte rendu " + "très " * 60 + "détaillé.pdf"
    endpoint.data.pop(endpoint.named_after_file, None)
    response = post(client, endpoint, upload(name, PDF))
    assert response.status_code == 302
    [stored] = set(endpoint.stored()) - set(before)
    assert len(stored.rsplit("/", 1)[1]) <= 104 and stored.endswith(".pdf")
