"""Fetching a URL instance as a role, and what the matrix compares: a normalised status, the
text of the body (PDF text extracted), and a fingerprint of the rows actions change."""

import copy
import hashlib
import io

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.test import Client
from django.urls import reverse

from ecoquartier.applications.models import (
    Answers,
    Application,
    ApplicationForm,
    CoApplicant,
    Criterion,
    Export,
    FormField,
    FormSection,
    Message,
    Review,
)
from ecoquartier.assessments.models import (
    Answer,
    Assessment,
    DimensionSynthesis,
    Evidence,
    Gap,
    Report,
)
from ecoquartier.calls.models import Call, CallStep, Programme, SearchAlert
from ecoquartier.core.models import ActivityEvent
from ecoquartier.labels.models import (
    Charter,
    CommissionSession,
    Deliberation,
    LabelFile,
    UsePhaseEvaluation,
)
from ecoquartier.organisations.models import ContactMessage, Invitation, Membership
from ecoquartier.projects.models import Project

# (model, fields compared row by row); big tables are compared by aggregates.
ROWS = [
    (Assessment, ("status", "lead_expert_id", "kind")),
    (Assessment.co_experts.through, ("assessment_id", "user_id")),
    (Gap, ("status", "description")),
    (DimensionSynthesis, ("revision",)),
    (Evidence, ("title",)),
    (Report, ("status",)),
    (Application, ("state", "version", "interview_at")),
    (Answers, ("data",)),
    (CoApplicant, ("user_id", "accepted_at", "email")),
    (Message, ("body",)),
    (Review, ("conflict", "submitted_at", "comment")),
    (Export, ("status",)),
    (Programme, ("name", "description")),
    (Call, ("state", "archived_at", "version")),
    (CallStep, ("deadline",)),
    (ApplicationForm, ("published_at",)),
    (FormSection, ("title",)),
    (FormField, ("position",)),
    (Criterion, ("weight",)),
    (LabelFile, ("state", "version", "visit_on", "opinion")),
    (CommissionSession, ("minutes",)),
    (Deliberation, ("outcome",)),
    (Charter, ("acknowledged_at",)),
    (UsePhaseEvaluation, ("key_events",)),
    (SearchAlert, ("confirmed_at", "unsubscribed_at")),
    (Project, ("version",)),
    (Membership, ("role", "is_admin")),
    (Invitation, ("nonce", "accepted_at", "cancelled_at")),
    (ContactMessage, ("subject",)),
]
AGGREGATES = [
    (ActivityEvent, {"n": Count("pk"), "last": Max("pk")}),
    (Answer, {"n": Count("pk"), "revisions": Sum("revision")}),
]


def fingerprint():
    """A digest of the rows that the platform's actions change (and of the activity log)."""
    digest = hashlib.sha256()
    for model, fields in ROWS:
        rows = model._default_manager.order_by("pk").values_list("pk", *fields)
        digest.update(repr((model.__name__, list(rows))).encode())
    for model, aggregates in AGGREGATES:
        digest.update(repr(model._default_manager.aggregate(**aggregates)).encode())
    return digest.hexdigest()


def status_of(response):
    """200, 403, 404… as numbers; a redirect to a login page as "login" or "admin_login"."""
    if response.status_code in (301, 302, 303):
        location = response.get("Location", "")
        if location.startswith(reverse(settings.LOGIN_URL)):
            return "login"
        if location.startswith(reverse("admin:login")):
            return "admin_login"
    return response.status_code


def body_text(response):
    """The body as text, PDF files as their extracted text too (generated PDFs compress it)."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    text = content.decode("utf-8", errors="replace")
    if content.startswith(b"%PDF") and len(content) > 1000:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        text += " ".join(page.extract_text() or "" for page in reader.pages)
    return text


def client_for(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def fetch(client, instance, *, pristine=None, check=lambda status: True):
    """Fetch `instance` with `client` inside a savepoint rolled back afterwards, so that an
    action that succeeds leaves the world as it was for the next request. With `pristine` (the
    world's fingerprint), tells whether the request changed rows when `check(status)`.
    Returns (status, body text of a 200 or None, changed or None)."""
    cookies = copy.deepcopy(client.cookies)
    changed = None
    with transaction.atomic():
        data = {k: _rewind(v) for k, v in instance.data.items()}
        if instance.method == "GET":
            response = client.get(instance.url, headers=instance.headers)
        else:
            response = client.post(instance.url, data, headers=instance.headers)
        status = status_of(response)
        body = body_text(response) if response.status_code == 200 else None
        if pristine is not None and check(status):
            changed = fingerprint() != pristine
        transaction.set_rollback(True)
    client.cookies = cookies  # logging out must not log the role out for the next request
    return status, body, changed


def _rewind(value):
    if hasattr(value, "seek"):
        value.seek(0)
    return value
