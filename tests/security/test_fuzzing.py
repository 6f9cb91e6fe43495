"""Fuzzing every form and every list filter of the demo instance (issue 10): never a 5xx, a
French message when a form is refused, and nothing that existed is lost.

As each demo account and anonymously, the pages reachable from the entry URLs are crawled and
their forms read (harness.py). Each field of each form is then sent hostile values — huge and
negative numbers, infinities and NaN, unicode digits, NUL bytes, 100,000 characters, malformed
dates, other objects' ids, empty values, a list where one value is expected — the other fields
keeping what the page rendered (the CSRF token, versions and single-use keys stay valid);
hypothesis then mixes several hostile fields per form. List pages get the same values in their
filters, and in parameters their form does not show. Every request runs in a savepoint rolled
back after it, so each one meets the demo as loaded.

Deterministic (derandomize, no example database) and bounded: one form per URL pattern and set of
fields, `MAX_EXAMPLES` mixes per form. The counts are printed (`pytest -s`).
"""

import re
import sys
import traceback
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction
from django.db.models import Case, When
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoquartier.accounts.models import User
from ecoquartier.applications.models import (
    Answers,
    Application,
    ApplicationForm,
    CoApplicant,
    Criterion,
    FormField,
    Message,
    Review,
)
from ecoquartier.assessments.models import Answer, Assessment, Evidence, Gap
from ecoquartier.calls.models import Call, Programme
from ecoquartier.labels.models import (
    Campaign,
    Charter,
    CommissionSession,
    LabelFile,
    UsePhaseEvaluation,
)
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.projects.models import Project
from tests.security import harness

pytestmark = pytest.mark.django_db

HUGE = str(10**26)
NUL = "a\x00b"
LONG = "x" * 100_000
TWICE = ["1", "2"]  # a list where one value is expected
# Hostile values by kind of field (what its widget suggests it parses); hypothesis then draws
# from all of them, and from any text and number, for several fields at once.
# In order of interest: a form with many fields gets the first few of its lists (BIG_FORM).
TEXT = [NUL, LONG, TWICE, ""]
NUMBERS = [HUGE, "1e309", "²", NUL, TWICE, "-" + HUGE, str(2**63), "-1", "inf", "nan", "٣", ""]
DATES = ["2026-02-30", HUGE, NUL, TWICE, "9999-99-99T99:99", "31/12/99999", ""]
CHOICES = [HUGE, NUL, TWICE, "", str(2**63), "-1", "²", LONG]
BY_KIND = {
    "textarea": TEXT,
    "email": TEXT,
    "url": TEXT,
    "number": NUMBERS,
    "range": NUMBERS,
    "date": DATES,
    "datetime-local": DATES,
    "time": DATES,
    "select": CHOICES,
    "radio": CHOICES,
    "checkbox": CHOICES,
}
# A text input may parse anything (a coordinate, a territory code, a date): all of them.
ANY = [*TEXT, *(v for v in [*NUMBERS, *DATES] if v not in TEXT)]
MORE = ["<script>alert(1)</script>", "' OR 1=1 --", "０", "-0", "1,5", "9" * 30]
# Where a value is an id: ids of other objects (the demo's first rows, of any table).
OTHER_IDS = ["1", "7"]
# Filters a list page may read although its form does not show them.
EXTRA_FILTERS = ["territory", "territoire", "page", "sort", "q", "state", "status", "eligible",
                 "kind", "pour", "projet", "commitment", "priority", "owner"]  # fmt: skip
MAX_EXAMPLES = 4
BIG_FORM, BIG_FORM_VALUES = 25, 4
# Forms that delete by design (their deletions are not losses) or end the session.
DELETING = ("supprimer", "retirer", "delete", "remove", "/deconnexion/")
# Counts that no request may lower (only the deleting forms above may).
KEPT = [Project, Application, Answers, Answer, Assessment, Programme, Call, Criterion, FormField,
        Review, Message, CoApplicant, Gap, Evidence, Organisation, Membership, User, LabelFile,
        Charter]  # fmt: skip
ERROR_MARKERS = ("fr-error-text", "fr-message--error", "fr-alert--error", "errorlist",
                 "--error", "Erreur 400")  # fmt: skip
ENGLISH = ("This field is required", "Enter a valid", "Select a valid choice", "Ensure this value",
           "Null characters are not allowed", "is not a valid", "Enter a whole number",
           "Enter a number")  # fmt: skip


def entry_urls():
    """Where the crawl starts: the page of every demo object (those still in the works first),
    then the menus. The permission matrix's list of every instantiated URL can replace it."""
    editable = Case(When(state__in=["draft", "completion_requested"], then=0), default=1)
    urls = []
    for application in Application.objects.order_by(editable, "-pk"):
        urls += [f"/candidatures/{application.pk}/formulaire/", application.get_absolute_url()]
    urls += [
        f"/candidatures/evaluations/{pk}/" for pk in Review.objects.values_list("pk", flat=True)
    ]
    urls += [a.get_absolute_url() for a in Assessment.objects.order_by("status", "-pk")]
    for answer in Answer.objects.filter(commitment__number=1).order_by("assessment__status"):
        base = f"/evaluations/{answer.assessment_id}/engagements/{answer.pk}"
        urls += [f"{base}/pieces/", f"{base}/ecarts/"]
    urls += [
        f"/evaluations/{pk}/experts/" for pk in Assessment.objects.values_list("pk", flat=True)
    ]
    urls += [f.get_absolute_url() for f in LabelFile.objects.order_by("-pk")]
    urls += [
        f"/label/commissions/{pk}/" for pk in CommissionSession.objects.values_list("pk", flat=True)
    ]
    urls += [f"/label/chartes/{pk}/" for pk in Charter.objects.values_list("pk", flat=True)]
    urls += [f"/label/campagnes/{pk}/" for pk in Campaign.objects.values_list("pk", flat=True)]
    urls += [
        f"/label/evaluations-usage/{pk}/"
        for pk in UsePhaseEvaluation.objects.values_list("pk", flat=True)
    ]
    urls += [
        f"/candidatures/formulaires/{pk}/"
        for pk in ApplicationForm.objects.order_by("published_at").values_list("pk", flat=True)
    ]
    campaigns = list(Campaign.objects.values_list("pk", flat=True))
    for call in Call.objects.order_by("-pk"):
        urls += [f"/candidatures/appel/{call.slug}/{page}/"
                 for page in ("instruction", "formulaires", "grille", "deliberation",
                              "candidater", "classement")]  # fmt: skip
        urls += [call.get_absolute_url(), f"/aides/gestion/appels/{call.slug}/"]
    for project in Project.objects.all():
        urls += [f"/label/campagnes/{c}/candidater/{project.slug}/" for c in campaigns]
        urls += [project.get_absolute_url(), f"/evaluations/projet/{project.slug}/",
                 f"/evaluations/projet/{project.slug}/ecarts/",
                 f"/candidatures/projet/{project.slug}/", f"/label/projets/{project.slug}/",
                 f"/projets/{project.slug}/modifier/",
                 f"/label/projets/{project.slug}/charte/"]  # fmt: skip
    urls += ["/", "/tableau-de-bord/", "/projets/", "/projets/nouveau/", "/aides/",
             "/aides/gestion/", "/aides/gestion/programmes/nouveau/", "/candidatures/",
             "/candidatures/evaluations/", "/label/", "/label/campagnes/nouvelle/",
             "/territoires/", "/referentiel/",
             "/compte/profil/", "/compte/profil/mot-de-passe/", "/compte/connexion/",
             "/compte/mot-de-passe/oubli/"]  # fmt: skip
    return urls


@dataclass
class Tally:
    cases: int = 0
    requests: int = 0
    failures: list = field(default_factory=list)

    def fail(self, what, detail):
        if len(self.failures) < 200:
            self.failures.append(f"{what}: {detail}")


def counts():
    """{model: row count} of the KEPT models, in one query."""
    tables = [model._meta.db_table for model in KEPT]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))
        return dict(zip([model.__name__ for model in KEPT], cursor.fetchone(), strict=True))


def send(client, tally, method, url, data, *, check_loss, what):
    """One request in a savepoint rolled back after it; a 5xx, an exception, a refusal
    without a French message or a lost object is recorded in `tally`."""
    tally.requests += 1
    try:
        with transaction.atomic():
            before = counts() if check_loss else None
            response = client.post(url, data) if method == "post" else client.get(url, data)
            after = counts() if check_loss else None
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - every error is a finding
        frames = traceback.extract_tb(error.__traceback__)
        here = next((f for f in reversed(frames) if "/ecoquartier/" in f.filename), frames[-1])
        tally.fail(what, f"{type(error).__name__}: {error} at {here.filename}:{here.lineno}")
        return None
    if response.status_code >= 500:
        tally.fail(what, f"answered {response.status_code}")
    if before is not None and any(after[k] < before[k] for k in before):
        lost = {k: (before[k], after[k]) for k in before if after[k] < before[k]}
        tally.fail(what, f"lost {lost}")
    if method == "post" and response.status_code in (200, 400, 409, 422):
        html = response.content.decode(errors="replace")
        english = [phrase for phrase in ENGLISH if phrase in html]
        if english:
            tally.fail(what, f"English message {english}")
        shown_again = response.status_code != 200 or f'action="{urlsplit(url).path}"' in html
        if shown_again and not any(marker in html for marker in ERROR_MARKERS):
            tally.fail(what, f"refused ({response.status_code}) without an error message")
    return response


def discover(demo_world):
    """(client, form) pairs: each form once per URL pattern and set of fields, seen by the
    first account (or the anonymous visitor) that reaches it."""
    found, signatures, pages, errors = [], set(), 0, []
    # The superuser last: each form is fuzzed as the role it is made for when one reaches it.
    accounts = sorted(demo_world.accounts, key=lambda user: user.is_superuser)
    for user in [None, *accounts]:
        client = Client()
        if user is not None:
            client.force_login(user)
        result = harness.crawl(client, entry_urls(), max_pages=60)
        pages += len(result.pages)
        errors += [f"{user.email if user else 'anonyme'} {e}" for e in result.errors]
        for form in result.forms:
            if form.signature() in signatures or any(d in form.action for d in DELETING):
                continue
            signatures.add(form.signature())
            found.append((client, user, form))
    return found, pages, errors


FORMSET_ROW = re.compile(r"-(\d+|__prefix__)-")


def fuzzable(form):
    """The fields to fuzz: not the protected ones, nor deletion boxes, nor files; in a formset
    only its first row (the others are the same fields)."""
    kept = []
    for item in form.fields.values():
        if item.protected or item.name.endswith("-DELETE") or item.kind == "file":
            continue
        row = FORMSET_ROW.search(item.name)
        if row is None or row[1] == "0":
            kept.append(item)
    return kept


def hostile_values(item):
    if item is None:  # a filter the page's form does not show
        return CHOICES
    values = list(BY_KIND.get(item.kind, ANY))
    if any(option.isdigit() for option in item.options) or item.value.isdigit():
        values += OTHER_IDS
    return values


def fuzz_form(client, tally, form, user):
    who = user.email if user else "anonyme"
    fields = fuzzable(form)
    per_field = BIG_FORM_VALUES if len(fields) > BIG_FORM else None
    method = "post" if form.method == "post" else "get"
    extra = [] if method == "post" else [n for n in EXTRA_FILTERS if n not in form.fields]
    for name in [f.name for f in fields] + extra:
        tally.cases += 1
        item = form.fields.get(name)
        for value in hostile_values(item)[:per_field]:
            what = f"{who} {method.upper()} {form.route} {name}={str(value)[:40]!r}"
            send(client, tally, method, form.action, form.data(**{name: value}),
                 check_loss=method == "post", what=what)  # fmt: skip
    if not fields:
        return

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def mix(data):
        names = data.draw(st.lists(st.sampled_from([f.name for f in fields]), unique=True))
        chosen = [form.fields[name] for name in names]
        values = {
            f.name: data.draw(
                st.one_of(
                    st.sampled_from(ANY + CHOICES + OTHER_IDS + MORE),
                    st.text(max_size=50),
                    st.integers(min_value=-(10**30), max_value=10**30).map(str),
                    st.floats().map(str),
                )
            )
            for f in chosen
        }
        what = f"{who} {method.upper()} {form.route} {sorted(values)} (mélange)"
        send(client, tally, method, form.action, form.data(**values),
             check_loss=method == "post", what=what)  # fmt: skip

    mix()


def test_hostile_input_in_every_form_and_filter_gets_no_5xx_and_loses_nothing(demo_world, settings):
    settings.MEDIA_ROOT = demo_world.media  # the demo's files
    tally = Tally()
    found, pages, errors = discover(demo_world)
    tally.failures += errors
    for client, user, form in found:
        fuzz_form(client, tally, form, user)
    summary = (
        f"fuzzing: {pages} pages crawled, {len(found)} forms, {tally.cases} (form, field) cases, "
        f"{tally.requests} requests"
    )
    print(summary, file=sys.stderr)
    assert not tally.failures, summary + "\n" + "\n".join(tally.failures)
