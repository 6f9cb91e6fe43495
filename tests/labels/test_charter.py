"""F-41: the charter signed online, acknowledged by the State, enters the first stage."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ecoquartier.labels import services
from ecoquartier.labels.models import LabelStep
from tests.labels.factories import build_world, signed_pdf


@pytest.fixture
def world(referentiel):
    return build_world(with_campaign=False)


def sign(world, document=None, **overrides):
    fields = {
        "organisation": world.saint_ouen, "text_version": "Charte ÉcoQuartier 2023",
        "signatory_name": "Karim Bouamrane", "signatory_office": "Maire",
        "deliberation_date": date(2024, 3, 12), "document": document or signed_pdf(),
    }  # fmt: skip
    fields.update(overrides)
    return services.sign_charter(world.holder, world.project, **fields)


def test_the_holder_signs_and_the_referent_is_told(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        charter = sign(world)
    assert charter.signatory_name == "Karim Bouamrane" and charter.region == world.idf
    assert not charter.is_acknowledged
    assert charter.document.read().startswith(b"%PDF")
    assert [m.to for m in mail.outbox] == [[world.referent.email]]
    assert not LabelStep.objects.exists()


def test_acknowledging_enters_the_first_stage_of_the_current_scheme(
    world, django_capture_on_commit_callbacks
):
    charter = sign(world)
    with django_capture_on_commit_callbacks(execute=True):
        step = services.acknowledge_charter(world.referent, charter)
    assert step.stage.code == "ecoprojet" and step.charter == charter
    assert step.deciding_body == str(world.ud93)
    assert step.decision_reference == "Charte signée, délibération du 12/03/2024"
    assert world.project.label.stage.code == "ecoprojet"
    assert world.holder.email in {m.to[0] for m in mail.outbox}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("charte.exe", b"MZ", "PDF, JPEG ou PNG"),
        ("charte.pdf", b"", "vide"),
        ("charte.pdf", b"x" * (10 * 1024 * 1024 + 1), "10 Mo"),
    ],
)
def test_the_document_type_and_size_are_checked(world, name, content, message):
    with pytest.raises(ValidationError, match=message):
        sign(world, document=signed_pdf(name, content))


def test_a_deliberation_in_the_future_is_refused(world):
    with pytest.raises(ValidationError, match="futur"):
        sign(world, deliberation_date=date(2999, 1, 1))


def test_only_holders_sign(world):
    with pytest.raises(PermissionDenied):
        services.sign_charter(
            world.referent, world.project, organisation=world.saint_ouen, text_version="v",
            signatory_name="x", signatory_office="y", deliberation_date=date(2024, 1, 1),
            document=signed_pdf(),
        )  # fmt: skip


def test_only_overseeing_state_referents_acknowledge(world):
    charter = sign(world)
    with pytest.raises(PermissionDenied):
        services.acknowledge_charter(world.holder, charter)
    with pytest.raises(PermissionDenied):
        services.acknowledge_charter(world.experts[0], charter)


def test_a_charter_is_signed_and_acknowledged_once(world):
    charter = sign(world)
    with pytest.raises(ValidationError, match="déjà signée"):
        sign(world)
    services.acknowledge_charter(world.referent, charter)
    with pytest.raises(ValidationError, match="déjà été prise en compte"):
        services.acknowledge_charter(world.referent, charter)
