"""Private files: stored under names nobody can guess, handed out only by views that checked the
permission first (docs/private-files.md). Nothing is ever served from MEDIA_URL.

`serve_private_file` answers in one of three ways, chosen by settings:
- streamed by Django (default, development and tests);
- `X-Accel-Redirect` to an nginx `internal;` location when PRIVATE_FILES_INTERNAL_URL is set,
  so that a worker is not held while a large file goes out;
- a redirect to a short-lived presigned URL when the default storage is S3 (django-storages).
"""

import mimetypes
import re
import unicodedata
import uuid
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

# Served with their own type; anything else (an old file stored before uploads were checked,
# say) goes out as bytes to save.
SAFE_CONTENT_TYPES = {
    "application/pdf", "image/png", "image/jpeg", "image/webp", "text/csv", "text/plain",
    "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}  # fmt: skip


def _basename(name):
    return unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]


def safe_filename(name, default="fichier"):
    """A storage name from an uploaded name: letters (accents kept), digits, dots and dashes,
    at most 100 characters before the extension."""
    name = _basename(name)
    name = re.sub(r"[^\w.-]+", "-", name).strip(".-_")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = re.sub(r"-{2,}", "-", stem)[:100].strip(".-_") or default
    extension = extension[:10].lower()
    return f"{stem}.{extension}" if extension else stem


def download_name(name, default="fichier"):
    """The name offered to the browser: the original one, without path or control characters."""
    name = "".join(c for c in _basename(name) if unicodedata.category(c)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    stem, dot, extension = name.rpartition(".")
    if dot and len(name) > 150:
        name = f"{stem[: 149 - len(extension)]}.{extension}"
    return name[:150] or default


@deconstructible
class PrivateUploadTo:
    """`upload_to` of every private file: `<prefix>/<uuid4 hex>/<safe original name>`. The random
    folder makes the path unguessable; the name stays readable for the download."""

    def __init__(self, prefix):
        self.prefix = prefix

    def __call__(self, instance, filename):
        return f"{self.prefix}/{uuid.uuid4().hex}/{safe_filename(filename)}"

    def __eq__(self, other):
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix


def serve_private_file(request, fieldfile, filename=None, content_type=None):
    """The response handing `fieldfile` to a user the calling view has already allowed.

    Always an attachment (never displayed inline), with nosniff and a private cache."""
    if not fieldfile:
        raise Http404
    filename = download_name(filename or fieldfile.name)
    guessed = content_type or mimetypes.guess_type(filename)[0]
    content_type = guessed if guessed in SAFE_CONTENT_TYPES else "application/octet-stream"
    storage = fieldfile.storage
    if _is_s3(storage):
        response = HttpResponseRedirect(
            _presigned_url(storage, fieldfile.name, filename, content_type)
        )
    elif settings.PRIVATE_FILES_INTERNAL_URL:
        response = HttpResponse(content_type=content_type)
        location = settings.PRIVATE_FILES_INTERNAL_URL.rstrip("/") + "/" + quote(fieldfile.name)
        response["X-Accel-Redirect"] = location
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        try:
            handle = fieldfile.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


def _is_s3(storage):
    # By module name, so that development never imports boto3 to ask. `__class__` also sets up
    # the lazy default_storage.
    return any(cls.__module__ == "storages.backends.s3" for cls in storage.__class__.__mro__)


def _presigned_url(storage, name, filename, content_type):
    # An unsigned URL (querystring auth off, or a custom domain without a CloudFront signer)
    # would make the file public: refuse to serve rather than leak.
    if not storage.querystring_auth or storage.custom_domain:
        raise ImproperlyConfigured(
            "Private files on S3 need AWS_QUERYSTRING_AUTH = True and no AWS_S3_CUSTOM_DOMAIN."
        )
    parameters = {
        "ResponseContentDisposition": content_disposition_header(True, filename),
        "ResponseContentType": content_type,
    }
    return storage.url(name, parameters=parameters)
