"""The shared upload validator: kinds recognised by content, extension agreeing, sizes, hook."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

import ecoquartier
from ecoquartier.core import uploads
from ecoquartier.core.uploads import UploadValidator
from tests.core.samples import (
    CSV,
    ELF,
    EXE,
    HTML,
    JPEG,
    MB,
    PDF,
    PNG,
    SCRIPT,
    SVG,
    TXT,
    WEBP,
    legacy_office,
    odf,
    ooxml,
    upload,
    xlsx,
)


def refused(name, content, profile="evidence"):
    with pytest.raises(ValidationError) as error:
        uploads.validate(upload(name, content), profile)
    return error.value


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", PDF),
        ("photo.png", PNG),
        ("photo.jpg", JPEG),
        ("photo.JPEG", JPEG),
        ("photo.webp", WEBP),
        ("note.docx", ooxml("word/")),
        ("budget.xlsx", xlsx()),
        ("support.pptx", ooxml("ppt/")),
        ("note.odt", odf("text")),
        ("budget.ods", odf("spreadsheet")),
        ("ancien.doc", legacy_office("WordDocument")),
        ("ancien.xls", legacy_office("Workbook")),
        ("communes.csv", CSV),
        ("compte-rendu.txt", TXT),
        ("Plan v2 (révisé).pdf", PDF),
    ],
)
def test_each_accepted_kind_is_recognised_by_its_content(name, content):
    uploads.validate(upload(name, content), "evidence")


@pytest.mark.parametrize(
    ("name", "content"),
    [("rapport.pdf", EXE), ("photo.png", ELF), ("note.txt", SCRIPT), ("communes.csv", EXE)],
)
def test_a_program_is_refused_whatever_its_name(name, content):
    error = refused(name, content)
    assert error.code == "file_content"
    assert error.messages[0].startswith(f"« {name} » est un programme, pas un fichier ")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.png", SVG),
        ("page.pdf", HTML),
        ("note.txt", HTML),
        ("communes.csv", b"commune;lien\nReau;<script>alert(1)</script>\n"),
        ("communes.csv", b"commune;lien\nReau;<a href='javascript:alert(1)'>x</a>\n"),
    ],
)
def test_svg_and_html_are_refused_even_renamed_or_hidden_in_text(name, content):
    assert refused(name, content).code == "file_content"


@pytest.mark.parametrize(
    "name",
    ["facture.pdf.exe", "facture.exe.pdf", "plan.svg", "page.html", "page.xhtml", "x.PDF.BAT",
     "setup.msi", "lanceur.js", "script.sh", "raccourci.lnk"],
)  # fmt: skip
def test_a_dangerous_extension_anywhere_in_the_name_is_refused(name):
    error = refused(name, PDF)
    assert error.code == "file_type"
    assert f"« {name} » : type de fichier non accepté (programmes, scripts" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.png", PDF),
        ("budget.xlsx", ooxml("word/")),
        ("note.docx", b"PK\x03\x04 not a zip"),
        ("outil.docx", b"PK\x03\x04" + b"\x00" * 30),
        ("macro.docx", ooxml("word/", {"word/vbaProject.bin": b"\x00"})),
        ("note.odt", odf("spreadsheet")),
        ("installeur.doc", legacy_office("\x05SummaryInformation")),
        ("binaire.txt", b"\x00\x01\x02\x03"),
        ("binaire.csv", bytes(range(0x80, 0x100))),
    ],
)
def test_the_content_must_be_what_the_extension_says(name, content):
    error = refused(name, content)
    assert error.code == "file_content"
    assert error.messages[0].startswith(f"Le contenu de « {name} » ne correspond pas")


def test_a_format_the_use_does_not_accept_is_refused_with_the_list():
    error = refused("note.docx", ooxml(), profile="charter")
    assert error.code == "file_type"
    assert error.messages == [
        "« note.docx » : type de fichier non accepté. Formats acceptés : PDF, JPEG ou PNG."
    ]


def test_a_file_over_the_limit_is_refused_naming_the_file_and_the_limit():
    error = refused("scan.pdf", PDF + b"0" * (12 * MB), profile="charter")
    assert error.code == "file_size"
    assert error.messages == ["« scan.pdf » pèse 12,0 Mo : la taille maximale est de 10 Mo."]


def test_an_empty_file_is_refused():
    assert refused("vide.pdf", b"").messages == ["« vide.pdf » est vide."]


def test_a_field_narrows_the_use_to_its_own_formats_and_size():
    rules = {"extensions": ["pdf"], "max_size": 1 * MB}
    with pytest.raises(ValidationError, match="Formats acceptés : PDF."):
        uploads.validate(upload("plan.png", PNG), "answer", **rules)
    with pytest.raises(ValidationError, match="la taille maximale est de 1 Mo"):
        uploads.validate(upload("plan.pdf", PDF + b"0" * MB), "answer", **rules)
    uploads.validate(upload("plan.pdf", PDF), "answer", **rules)


# Not the real EICAR string: some scanners would quarantine this test file.
EICAR = b"SIGNATURE-DE-TEST-ANTIVIRUS"
SCANNED = []


def refuse_eicar(upload):
    """An antivirus hook as settings.UPLOAD_ANTIVIRUS names one (see docs/private-files.md)."""
    SCANNED.append(upload.name)
    if EICAR in upload.read():
        raise ValidationError(f"« {upload.name} » contient un virus (signature de test).")


def test_the_antivirus_hook_sees_every_accepted_upload_once_and_may_refuse(settings):
    settings.UPLOAD_ANTIVIRUS = "tests.core.test_uploads.refuse_eicar"
    SCANNED.clear()
    clean = upload("note.txt", TXT)
    uploads.validate(clean, "evidence")
    uploads.validate(clean, "evidence")  # the form, then the service
    with pytest.raises(ValidationError, match="contient un virus"):
        uploads.validate(upload("virus.txt", EICAR), "evidence")
    assert SCANNED == ["note.txt", "virus.txt"]


def test_no_antivirus_runs_unless_configured(settings):
    assert settings.UPLOAD_ANTIVIRUS == ""
    uploads.validate(upload("virus.txt", EICAR), "evidence")


@pytest.mark.django_db
def test_a_model_field_checks_new_uploads_but_not_the_files_it_already_holds():
    from ecoquartier.calls.models import CallDocument

    field = CallDocument._meta.get_field("file")
    document = CallDocument(title="Ancien règlement")
    document.file.name = "calls/documents/2024/reglement.doc"  # stored before the checks
    field.run_validators(document.file)
    document.file = ContentFile(EXE, name="reglement.pdf")
    with pytest.raises(ValidationError, match="est un programme"):
        field.run_validators(document.file)


def test_validators_compare_equal_so_migrations_stay_still():
    assert UploadValidator("evidence") == UploadValidator("evidence")
    assert UploadValidator("evidence") != UploadValidator("message")
    with pytest.raises(ValueError):
        UploadValidator("inconnu")


def test_every_form_file_field_is_an_upload_field():
    """A plain forms.FileField would skip the shared checks: each use has its UploadField."""
    root = Path(ecoquartier.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path != root / "core" / "uploads.py"
        and re.search(r"\bforms\.(?:File|Image)Field\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
