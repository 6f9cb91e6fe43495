"""Private files (issue 10, finding 1): never from /media/, only through permission-checked views,
under names nobody can guess; every file field carries the shared upload validator."""

import importlib
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.urls import Resolver404, clear_url_caches, resolve, reverse

import config.urls
from ecoquartier.applications import services as application_services
from ecoquartier.applications.models import Export
from ecoquartier.assessments import services as assessment_services
from ecoquartier.assessments.models import Report
from ecoquartier.calls.models import Call, CallDocument
from ecoquartier.core.files import PrivateUploadTo, safe_filename
from ecoquartier.core.uploads import UploadValidator
from ecoquartier.labels import services as label_services
from ecoquartier.organisations.models import Membership
from tests.accounts.factories import UserFactory
from tests.applications.factories import build_world as application_world
from tests.assessments.factories import AssessmentFactory, answer, cast
from tests.calls.factories import CallFactory, build_geography
from tests.core.samples import CSV, PDF, upload
from tests.labels.factories import build_world as label_world
from tests.labels.factories import member, signed_pdf
from tests.organisations.factories import OrganisationFactory
from tests.referentiel.factories import load_current


def file_fields():
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


# Third-party file fields, each with the reason it is left alone.
NOT_OURS = {
    # django-dsfr's site settings: not used by the platform (its logo would be public anyway),
    # editable by superusers only, in the admin.
    "dsfr.DsfrConfig.operator_logo_file",
}


# Files the platform writes itself (never uploaded by a person): a private name, no upload check.
GENERATED = {"applications.DecisionLetter.file"}  # the signed decision letter's PDF, as sent


def test_every_model_file_field_has_the_shared_validator_and_a_private_name():
    fields = {f"{model._meta.label}.{field.name}": field for model, field in file_fields()}
    assert set(fields) >= NOT_OURS, "a listed exception no longer exists"
    ours = {label: field for label, field in fields.items() if label not in NOT_OURS}
    # Issue 14: conventions, signed scans, instalments' and deliverables' files; issue 15:
    # indicators' evidence and imports.
    assert len(ours) == 15
    for label, field in ours.items():
        if label not in GENERATED:
            assert any(isinstance(v, UploadValidator) for v in field.validators), label
        assert isinstance(field.upload_to, PrivateUploadTo), label


def test_a_stored_name_is_random_and_keeps_the_original_name_readable():
    upload_to = PrivateUploadTo("applications/messages")
    first = upload_to(None, "Délibération du conseil (signée).pdf")
    expected = r"applications/messages/[0-9a-f]{32}/Délibération-du-conseil-signée\.pdf"
    assert re.fullmatch(expected, first)
    assert first != upload_to(None, "Délibération du conseil (signée).pdf")
    assert upload_to(None, "../../etc/passwd").endswith("/passwd")
    assert safe_filename("..") == "fichier"


@dataclass
class Stored:
    """One stored file of every kind, the URL of its download view, who owns it."""

    kind: str
    name: str
    content: bytes
    url: str
    owner: object


@pytest.fixture
def stored(db):
    load_current()
    files = []

    people = cast(is_public=False)
    assessment = AssessmentFactory(project=people.project)  # a draft self-assessment
    evidence = assessment_services.add_evidence(
        people.holder, answer(assessment, 6), uploaded_file=upload("friche.pdf", PDF)
    )
    files.append(Stored("evidence", evidence.file.name, PDF, reverse(
        "assessments:evidence", kwargs={"pk": assessment.pk, "evidence_pk": evidence.pk}
    ), people.holder))  # fmt: skip
    report = Report.objects.create(assessment=assessment, status=Report.Status.READY)
    report.file.save("rapport.pdf", ContentFile(PDF))
    files.append(Stored("report", report.file.name, PDF, reverse(
        "assessments:report_download", kwargs={"pk": assessment.pk, "report_pk": report.pk}
    ), people.holder))  # fmt: skip

    world = application_world(build_geography(), two_step=False)
    application = application_services.start_application(
        world.holder, world.call, world.commune, world.project
    )
    application_services.save_answers(
        world.holder, application, {}, {"deliberation": upload("deliberation.pdf", PDF)}
    )
    answer_file = application.answers.get().files.get()
    files.append(Stored("answer", answer_file.file.name, PDF, reverse(
        "applications:file", kwargs={"pk": application.pk, "file_pk": answer_file.pk}
    ), world.holder))  # fmt: skip
    message = application_services.post_message(
        world.holder, application, "Le plan joint.", upload("plan.pdf", PDF)
    )
    files.append(Stored("message", message.attachment.name, PDF, reverse(
        "applications:attachment", kwargs={"pk": application.pk, "message_pk": message.pk}
    ), world.holder))  # fmt: skip
    export = Export.objects.create(
        call=world.call, user=world.manager, content="applications", format="csv",
        status=Export.Status.READY,
    )  # fmt: skip
    export.file.save("candidatures.csv", ContentFile(CSV))
    files.append(Stored("export", export.file.name, CSV, reverse(
        "applications:export_download", kwargs={"pk": export.pk}
    ), world.manager))  # fmt: skip

    labels = label_world(with_campaign=False)
    charter = label_services.sign_charter(
        labels.holder, labels.project, organisation=labels.saint_ouen,
        text_version="Charte ÉcoQuartier 2023", signatory_name="Karim Bouamrane",
        signatory_office="Maire", deliberation_date=date(2024, 3, 12), document=signed_pdf(),
    )  # fmt: skip
    files.append(Stored("charter", charter.document.name, PDF, reverse(
        "labels:charter_document", kwargs={"pk": charter.pk}
    ), labels.holder))  # fmt: skip

    draft = CallFactory(state=Call.State.DRAFT, published_at=None, slug="appel-en-preparation")
    manager = member(draft.programme.owner, Membership.Role.PROGRAMME_MANAGER)
    document = CallDocument.objects.create(
        call=draft, title="Règlement", file=ContentFile(PDF, name="reglement.pdf")
    )
    files.append(Stored("call document", document.file.name, PDF, document.href, manager))
    return files


@pytest.fixture
def unrelated(db):
    """A partner of the platform with no tie to any of these files."""
    return member(OrganisationFactory(), Membership.Role.PROJECT_HOLDER)


@pytest.fixture
def debug_urls(settings):
    """The URLconf as `make run` builds it, with DEBUG on."""
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_no_stored_file_is_served_from_media_even_with_debug_on(
    client, stored, unrelated, debug_urls
):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert len({f.kind for f in stored}) == 7
    for item in stored:
        path = f"/media/{item.name}"
        with pytest.raises(Resolver404):
            resolve(path)
        for user in (None, unrelated, item.owner, superuser):
            client.logout()
            if user:
                client.force_login(user)
            response = client.get(path)
            assert response.status_code == 404, (item.kind, user, path)
            # Django's technical 404 page: the request really ran with DEBUG on.
            assert b"Using the URLconf defined in" in response.content


def test_stored_names_are_not_guessable(stored):
    for item in stored:
        assert re.fullmatch(r"[a-z]+/[a-z]+/[0-9a-f]{32}/[\w.-]+", item.name), item.name


def test_each_file_goes_to_its_owner_through_its_view_and_to_no_one_else(client, stored, unrelated):
    for item in stored:
        client.force_login(item.owner)
        response = client.get(item.url)
        assert response.status_code == 200, item.kind
        assert b"".join(response.streaming_content) == item.content
        assert response["Content-Disposition"].startswith("attachment; filename="), item.kind
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private"
        client.force_login(unrelated)
        assert client.get(item.url).status_code == 404, item.kind
    client.logout()
    # A draft call's document stays with its managers; anonymous visitors get the login page
    # for the others (login is required by default).
    assert client.get(stored[-1].url).status_code == 404


def test_a_published_call_document_is_public_through_its_view(client, db):
    call = CallFactory()
    document = CallDocument.objects.create(
        call=call, title="Cahier des charges", file=ContentFile(PDF, name="cahier des charges.pdf")
    )
    assert document.href == f"/aides/{call.slug}/documents/{document.pk}/"
    assert f'href="{document.href}"' in client.get(call.get_absolute_url()).content.decode()
    response = client.get(document.href)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cahier-des-charges.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_the_download_keeps_the_original_name(client, stored):
    answer_file = next(f for f in stored if f.kind == "answer")
    client.force_login(answer_file.owner)
    assert client.get(answer_file.url)["Content-Disposition"] == (
        'attachment; filename="deliberation.pdf"'
    )


def test_a_file_stored_under_an_old_name_still_downloads(client, stored):
    """Names from before the random folders stay valid: the view serves what the row holds."""
    evidence = next(f for f in stored if f.kind == "evidence")
    from django.core.files.storage import default_storage

    from ecoquartier.assessments.models import Evidence

    row = Evidence.objects.get()
    old_name = default_storage.save("assessments/12/evidence/friche.pdf", ContentFile(PDF))
    Evidence.objects.filter(pk=row.pk).update(file=old_name)
    client.force_login(evidence.owner)
    response = client.get(evidence.url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="friche.pdf"'


def test_a_missing_file_answers_404_not_500(client, stored):
    from django.core.files.storage import default_storage

    message = next(f for f in stored if f.kind == "message")
    default_storage.delete(message.name)
    client.force_login(message.owner)
    assert client.get(message.url).status_code == 404


def test_behind_nginx_the_view_hands_the_file_over_with_an_internal_redirect(
    client, stored, settings
):
    settings.PRIVATE_FILES_INTERNAL_URL = "/_private/"
    charter = next(f for f in stored if f.kind == "charter")
    client.force_login(charter.owner)
    response = client.get(charter.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{charter.name}"
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="charte-signee.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"
    client.force_login(UserFactory())
    assert "X-Accel-Redirect" not in client.get(charter.url)


def test_the_internal_redirect_quotes_names_with_accents(client, db, settings):
    settings.PRIVATE_FILES_INTERNAL_URL = "/_private"
    call = CallFactory()
    document = CallDocument.objects.create(
        call=call, title="Annexe", file=ContentFile(PDF, name="Annexe n°2 été.pdf")
    )
    response = client.get(document.href)
    folder = document.file.name.rsplit("/", 1)[0]
    assert response["X-Accel-Redirect"] == f"/_private/{folder}/Annexe-n-2-%C3%A9t%C3%A9.pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Annexe-n-2-%C3%A9t%C3%A9.pdf"
    )


S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": "ecoquartier-prive",
        "endpoint_url": "https://s3.fr-par.exemple.invalid",
        "region_name": "fr-par",
        "access_key": "CLE-DE-TEST",
        "secret_key": "secret-de-test",
        "querystring_auth": True,
        "querystring_expire": 60,
        "default_acl": None,
        "signature_version": "s3v4",
    },
}


def test_on_s3_the_view_redirects_to_a_short_lived_presigned_url(client, db, settings):
    """Offline: boto3 signs the URL locally; nothing is sent to the (fake) endpoint."""
    call = CallFactory()
    document = CallDocument(call=call, title="Règlement")
    document.file.name = "calls/documents/0123456789abcdef0123456789abcdef/reglement.pdf"
    document.save()
    settings.STORAGES = {**settings.STORAGES, "default": S3}
    response = client.get(document.href)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private"
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert url.netloc == "s3.fr-par.exemple.invalid"
    assert url.path == f"/ecoquartier-prive/{document.file.name}"
    assert query["X-Amz-Expires"] == ["60"]
    assert query["X-Amz-Signature"]
    assert query["response-content-disposition"] == ['attachment; filename="reglement.pdf"']
    assert query["response-content-type"] == ["application/pdf"]


def test_on_s3_an_unsigned_configuration_is_refused_rather_than_leaking(client, db, settings):
    from django.core.exceptions import ImproperlyConfigured

    call = CallFactory()
    document = CallDocument(call=call, title="Règlement")
    document.file.name = "calls/documents/0123456789abcdef0123456789abcdef/reglement.pdf"
    document.save()
    public = {**S3, "OPTIONS": {**S3["OPTIONS"], "querystring_auth": False}}
    settings.STORAGES = {**settings.STORAGES, "default": public}
    client.raise_request_exception = True
    with pytest.raises(ImproperlyConfigured):
        client.get(document.href)
