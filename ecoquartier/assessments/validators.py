"""Evidence files: an allow-list of types checked by extension *and* by content signature, so a
renamed executable is refused, plus a size ceiling."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_EVIDENCE_SIZE = 10 * 1024 * 1024

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0"  # legacy Office files
# Extension → accepted leading bytes (None: plain text, checked for decodability instead).
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "odt": (ZIP,),
    "ods": (ZIP,),
    "odp": (ZIP,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "doc": (OLE,),
    "xls": (OLE,),
    "csv": None,
    "txt": None,
}
ALLOWED_EXTENSIONS = tuple(SIGNATURES)


def validate_evidence_file(uploaded):
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    if extension not in SIGNATURES:
        raise ValidationError(
            _("Type de fichier non accepté. Formats acceptés : %(formats)s.")
            % {"formats": ", ".join(ALLOWED_EXTENSIONS)},
            code="file_type",
        )
    if uploaded.size > MAX_EVIDENCE_SIZE:
        raise ValidationError(
            _("Le fichier pèse %(size)s ; la taille maximale est de %(max)s.")
            % {
                "size": filesizeformat(uploaded.size),
                "max": filesizeformat(MAX_EVIDENCE_SIZE),
            },
            code="file_size",
        )
    if not _content_matches(uploaded, SIGNATURES[extension]):
        raise ValidationError(
            _("Le contenu du fichier ne correspond pas à son extension .%(ext)s.")
            % {"ext": extension},
            code="file_content",
        )


def _content_matches(uploaded, signatures):
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the boundary; accept Latin-1 exports too.
            return b"\x00" not in head
        return True
    return any(head.startswith(signature) for signature in signatures)
