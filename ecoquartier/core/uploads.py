"""One validator for every uploaded file (docs/private-files.md).

A browser's Content-Type and a file's name are the uploader's say-so: an .exe renamed .pdf or an
HTML page named .txt must never be stored as a document someone else will open. So each use
(a *profile*) lists the kinds it accepts and a size ceiling; the kind is recognised from the
content (magic bytes, zip members), the extension must agree with it, and executables, scripts,
SVG and HTML are refused whatever their name. An optional antivirus hook runs last.
"""

import codecs
import re
import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.module_loading import import_string
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

MB = 1024 * 1024
HEAD = 8192  # bytes read to recognise a kind
CHUNK = 1024 * 1024

# Refused wherever they appear in the name ("facture.pdf.exe", "plan.svg"): programs, scripts,
# installers and anything a browser would render as a page. The last extension must also be one
# the use accepts, so ambiguous words (".com" in "www.exemple.com.pdf") are left out.
BLOCKED_EXTENSIONS = frozenset(
    (
        "exe", "scr", "pif", "cpl", "dll", "msi", "msp", "mst", "bat", "cmd", "ps1", "psm1",
        "vb", "vbs", "vbe", "js", "jse", "mjs", "wsf", "wsh", "hta", "lnk", "reg", "scf", "jar",
        "apk", "dmg", "deb", "rpm", "elf", "sh", "bash", "zsh", "csh", "ksh", "command", "py",
        "pyc", "pl", "rb", "php", "phtml", "asp", "aspx", "jsp", "cgi", "html", "htm", "xhtml",
        "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt", "swf", "docm", "xlsm",
        "pptm", "dotm", "xltm", "potm", "iso", "vhd",
    )
)  # fmt: skip

EXECUTABLE_SIGNATURES = (
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!/", b"#! /",  # scripts
)  # fmt: skip
# Anything a browser would run or render, hidden in a text file.
MARKUP = re.compile(
    rb"<\s*(?:script|html|!doctype|svg|iframe|object|embed|body|head|meta|link|style|form|img)\b"
    rb"|<\?xml|javascript:",
    re.IGNORECASE,
)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
BOM_AND_SPACE = b"\xef\xbb\xbf\xff\xfe \t\r\n"


def _starts(*signatures):
    return lambda upload, head: head.startswith(signatures)


def _webp(upload, head):
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _zip(check):
    """A detector for a zip-based format: `check(archive)` on the opened zip; a file that is not
    a readable zip, or lacks a member `check` reads, does not match."""

    def detect(upload, head):
        if not head.startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                return check(archive)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return False

    return detect


def _ooxml(folder):
    """Word, Excel or PowerPoint (2007+): a zip with a content-types part and the main folder;
    macro-enabled files (vbaProject.bin) are refused."""

    def check(archive):
        names = archive.namelist()
        return (
            "[Content_Types].xml" in names
            and any(name.startswith(folder) for name in names)
            and not any(name.lower().endswith("vbaproject.bin") for name in names)
        )

    return _zip(check)


def _odf(mimetype):
    """OpenDocument: a zip whose first member, "mimetype", names the document type."""

    def check(archive):
        info = archive.getinfo("mimetype")
        return info.file_size < 100 and archive.read(info) == mimetype

    return _zip(check)


def _ole(*streams):
    """Legacy Office (doc, xls): an OLE compound file holding the expected stream. An installer
    (.msi) is an OLE file too, without these streams."""
    names = [stream.encode("utf-16-le") for stream in streams]

    def detect(upload, head):
        if not head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            return False
        return any(_contains(upload, name) for name in names)

    return detect


def _contains(upload, needle):
    upload.seek(0)
    tail = b""
    while chunk := upload.read(CHUNK):
        if needle in tail + chunk:
            return True
        tail = chunk[-len(needle) :]
    return False


def _text(upload, head):
    """Plain text or CSV: UTF-8 or Windows-1252, no control characters, no HTML anywhere."""
    return any(_clean_text(upload, encoding) for encoding in ("utf-8-sig", "cp1252"))


def _clean_text(upload, encoding):
    decoder = codecs.getincrementaldecoder(encoding)()
    upload.seek(0)
    tail = b""
    try:
        while chunk := upload.read(CHUNK):
            if CONTROL.search(decoder.decode(chunk)) or MARKUP.search(tail + chunk):
                return False
            tail = chunk[-64:]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple
    detect: object  # (upload, first bytes) -> bool


KINDS = {
    "pdf": Kind("PDF", ("pdf",), _starts(b"%PDF-")),
    "png": Kind("PNG", ("png",), _starts(b"\x89PNG\r\n\x1a\n")),
    "jpeg": Kind("JPEG", ("jpg", "jpeg"), _starts(b"\xff\xd8\xff")),
    "webp": Kind("WebP", ("webp",), _webp),
    "docx": Kind("Word (docx)", ("docx",), _ooxml("word/")),
    "xlsx": Kind("Excel (xlsx)", ("xlsx",), _ooxml("xl/")),
    "pptx": Kind("PowerPoint (pptx)", ("pptx",), _ooxml("ppt/")),
    "odt": Kind("ODT", ("odt",), _odf(b"application/vnd.oasis.opendocument.text")),
    "ods": Kind("ODS", ("ods",), _odf(b"application/vnd.oasis.opendocument.spreadsheet")),
    "odp": Kind("ODP", ("odp",), _odf(b"application/vnd.oasis.opendocument.presentation")),
    "doc": Kind("Word (doc)", ("doc",), _ole("WordDocument")),
    "xls": Kind("Excel (xls)", ("xls",), _ole("Workbook", "Book")),
    "csv": Kind("CSV", ("csv",), _text),
    "txt": Kind("texte", ("txt",), _text),
}


@dataclass(frozen=True)
class Profile:
    kinds: tuple
    max_size: int

    def extensions(self):
        return [ext for kind in self.kinds for ext in KINDS[kind].extensions]

    def formats(self):
        return get_text_list([KINDS[kind].label for kind in self.kinds], _("ou"))

    def narrowed(self, extensions=None, max_size=None):
        """The same rules, restricted to some extensions or a lower size (a form field's own)."""
        kinds = self.kinds
        if extensions:
            wanted = {e.lower().lstrip(".") for e in extensions}
            kinds = tuple(k for k in kinds if wanted & set(KINDS[k].extensions)) or kinds
        return Profile(kinds, min(self.max_size, max_size or self.max_size))


OFFICE = ("docx", "xlsx", "pptx", "odt", "ods", "odp")
IMAGES = ("png", "jpeg", "webp")
# What each use accepts. Generated files (report, export) carry a profile too, so that every
# file field is covered if one is ever uploaded (through the admin, for instance).
PROFILES = {
    "evidence": Profile(("pdf", *IMAGES, *OFFICE, "doc", "xls", "csv", "txt"), 10 * MB),
    "message": Profile(("pdf", *IMAGES, *OFFICE, "csv", "txt"), 10 * MB),
    "answer": Profile(("pdf", *IMAGES, *OFFICE, "csv"), 20 * MB),
    "charter": Profile(("pdf", "jpeg", "png"), 10 * MB),
    "call_document": Profile(("pdf", *OFFICE, "csv"), 20 * MB),
    "report": Profile(("pdf",), 100 * MB),
    "export": Profile(("csv", "xlsx"), 2048 * MB),
}


def help_text(profile):
    rules = PROFILES[profile]
    return _("Formats acceptés : %(formats)s. Taille maximale : %(max)s Mo.") % {
        "formats": rules.formats(),
        "max": rules.max_size // MB,
    }


def validate(upload, profile, *, extensions=None, max_size=None):
    """Raise a ValidationError, in French and naming the file, unless `upload` is acceptable for
    `profile` (narrowed to `extensions` and `max_size` if given). The form and then the service
    may both ask: the file is read once."""
    checked = (profile, tuple(extensions or ()), max_size)
    if getattr(upload, "_eq_checked", None) == checked:
        return
    rules = PROFILES[profile].narrowed(extensions, max_size)
    name = str(upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    accepted = {"name": name, "formats": rules.formats()}
    if upload.size == 0:
        raise ValidationError(_("« %(name)s » est vide.") % accepted, code="file_empty")
    if upload.size > rules.max_size:
        size = number_format(upload.size / MB, 1)
        raise ValidationError(
            _("« %(name)s » pèse %(size)s Mo : la taille maximale est de %(max)s Mo.")
            % {"name": name, "size": size, "max": rules.max_size // MB},
            code="file_size",
        )
    suffixes = [s.strip().lower() for s in name.split(".")[1:]]
    if BLOCKED_EXTENSIONS.intersection(suffixes):
        raise ValidationError(
            _(
                "« %(name)s » : type de fichier non accepté (programmes, scripts, pages web et "
                "images SVG sont refusés). Formats acceptés : %(formats)s."
            )
            % accepted,
            code="file_type",
        )
    extension = suffixes[-1] if suffixes else ""
    kind = next((KINDS[k] for k in rules.kinds if extension in KINDS[k].extensions), None)
    if kind is None:
        raise ValidationError(
            _("« %(name)s » : type de fichier non accepté. Formats acceptés : %(formats)s.")
            % accepted,
            code="file_type",
        )
    _check_content(upload, name, kind, extension)
    hook = getattr(settings, "UPLOAD_ANTIVIRUS", "")
    if hook:
        upload.seek(0)
        import_string(hook)(upload)
    upload.seek(0)
    upload._eq_checked = checked


def _check_content(upload, name, kind, extension):
    upload.seek(0)
    head = upload.read(HEAD)
    stripped = head.lstrip(BOM_AND_SPACE)
    described = {"name": name, "kind": kind.label, "ext": extension}
    if (head.startswith(b"MZ") and b"\x00" in head[:64]) or head.startswith(EXECUTABLE_SIGNATURES):
        raise ValidationError(
            _("« %(name)s » est un programme, pas un fichier %(kind)s : il est refusé.")
            % described,
            code="file_content",
        )
    if stripped.startswith(b"<"):
        raise ValidationError(
            _(
                "« %(name)s » est une page web ou une image SVG, pas un fichier %(kind)s : "
                "il est refusé."
            )
            % described,
            code="file_content",
        )
    if not kind.detect(upload, head):
        raise ValidationError(
            _("Le contenu de « %(name)s » ne correspond pas à un fichier %(kind)s (.%(ext)s).")
            % described,
            code="file_content",
        )


@deconstructible
class UploadValidator:
    """The validator of a model FileField: `validators=[UploadValidator("evidence")]`."""

    def __init__(self, profile, extensions=None, max_size=None):
        if profile not in PROFILES:
            raise ValueError(f"Unknown upload profile: {profile}")
        self.profile, self.extensions, self.max_size = profile, extensions, max_size

    def __call__(self, value):
        if isinstance(value, FieldFile):
            # A file already stored was checked when it came in; only new uploads are read.
            if value._committed:
                return
            value = value.file
        validate(value, self.profile, extensions=self.extensions, max_size=self.max_size)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (
            (other.profile, other.extensions, other.max_size)
            == (self.profile, self.extensions, self.max_size)
        )


class UploadField(forms.FileField):
    """A form field for an upload of `profile` (optionally narrowed: `extensions`, `max_size`):
    validator, help text and the picker's filter.

    A plain file input: Django's clearable one links the current file to its MEDIA_URL."""

    def __init__(self, profile, *, extensions=None, max_size=None, **kwargs):
        rules = PROFILES[profile].narrowed(extensions, max_size)
        accept = ",".join(f".{extension}" for extension in rules.extensions())
        kwargs.setdefault("help_text", lazy(help_text, str)(profile))
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": accept}))
        validator = UploadValidator(profile, extensions=extensions, max_size=max_size)
        super().__init__(validators=[validator], **kwargs)
