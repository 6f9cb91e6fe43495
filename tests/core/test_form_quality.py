"""Form quality (issue 13): a refused form says so in a DSFR error summary whose items link to
the fields; no browser-native validation; French placeholders and labels; no « None »."""

import re

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.utils.text import capfirst

from ecoquartier.core.forms import DsfrForm
from ecoquartier.core.templatetags.error_summary import summary_items
from ecoquartier.projects.models import Project
from ecoquartier.projects.taxonomy import load_taxonomy
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.security import harness
from tests.security.conftest import demo_world  # noqa: F401 - the module-scoped demo
from tests.security.test_fuzzing import entry_urls
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(
    r'<div class="[^"]*fr-alert--error[^"]*" role="alert" tabindex="-1" data-eq-error-summary>'
    r"(.*?)</div>",
    re.S,
)


def summary_links(html):
    match = SUMMARY.search(html)
    assert match, "no error summary on the page"
    return re.findall(r'<a href="#([^"]+)">', match.group(1))


def ids_in(html):
    return set(re.findall(r'\sid="([^"]+)"', html))


@pytest.fixture
def holder(client):
    load_taxonomy()
    commune = CommuneFactory()
    user = UserFactory()
    MembershipFactory(user=user, organisation=OrganisationFactory(territory=commune))
    client.force_login(user)
    return user


# --- The error summary ---------------------------------------------------------------------------


def test_a_refused_project_form_links_each_field_in_error_from_the_summary(client, holder):
    response = client.post("/projets/nouveau/", {"name": ""})
    html = response.content.decode()
    links = summary_links(html)
    assert "id_name" in links
    assert set(links) <= ids_in(html), "a summary link points to no field"
    assert not Project.objects.exists()


def test_a_refused_profile_form_has_its_summary_with_the_field_s_label(client, holder):
    response = client.post(
        "/compte/profil/", {"first_name": "", "last_name": "", "phone": "0" * 31}
    )
    html = response.content.decode()
    assert "id_phone" in summary_links(html)
    assert "Vos informations n" in html


def test_a_radio_group_is_linked_through_its_first_button():
    class Choice(DsfrForm):
        colour = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    _general, items = summary_items(Choice(data={}))
    assert items[0][0] == "id_colour_0"


def test_the_summary_lists_the_errors_of_a_formset_s_rows():
    Rows = forms.formset_factory(type("Row", (DsfrForm,), {"n": forms.IntegerField()}))
    formset = Rows(data={"r-TOTAL_FORMS": "1", "r-INITIAL_FORMS": "0", "r-0-n": "x"}, prefix="r")
    _general, items = summary_items(formset)
    assert [anchor for anchor, _label, _message in items] == ["id_r-0-n"]


def test_a_message_added_by_add_error_reads_as_text_not_as_a_list():
    class Named(DsfrForm):
        name = forms.CharField(required=False)

        def clean(self):
            self.add_error("name", "Donnez un nom.")  # stored as a ValidationError

    _general, items = summary_items(Named(data={}))
    assert [str(message) for _a, _l, message in items] == ["Donnez un nom."]


def test_an_unbound_form_has_no_summary():
    assert summary_items(DsfrForm()) == ([], [])


# --- Fields --------------------------------------------------------------------------------------


def test_an_empty_choice_reads_a_french_placeholder():
    class Pick(DsfrForm):
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
        owner = forms.ModelChoiceField(queryset=Project.objects.none(), required=False)

    html = str(Pick())
    assert "---------" not in html
    assert html.count("Sélectionner une option") == 2


def test_a_label_saying_optional_is_not_marked_twice():
    class Note(DsfrForm):
        note = forms.CharField(label="Nature du conflit (optionnel)", required=False)

    html = str(Note())
    assert html.count("optionnel") == 1


# --- Key figures ---------------------------------------------------------------------------------


def test_unknown_key_figures_of_a_project_read_a_dash_never_none(client, holder):
    project = ProjectFactory(is_public=True, dwellings=None, inhabitants=None, jobs=None)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "eq-key-figure__value" in html
    assert not NONE_TEXT.search(html)
    assert '<p class="eq-key-figure__value">—</p>' in html


def test_the_label_key_figures_without_projects_read_no_none(client):
    html = client.get("/label/chiffres-cles/").content.decode()
    assert "Chiffres clés du label" in html and not NONE_TEXT.search(html)


# --- Every page of the demo, as each role --------------------------------------------------------

FORM_TAG = re.compile(r"<form\b[^>]*>")
LABEL = re.compile(r"<label\b[^>]*>(.*?)</label>", re.S)
TAGS = re.compile(r"<[^>]+>")
NONE_TEXT = re.compile(r">\s*None\s*<")
# Auto-generated English names that are French words as well.
FRENCH_TOO = {"Code", "Contacts", "Date", "Description", "Format", "Latitude", "Longitude",
              "Message", "Motivation", "Nature",
              "Position", "Second expert", "Version"}  # fmt: skip


def english_names():
    """Labels Django makes up from a model field's name when it has no French verbose_name."""
    names = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("ecoquartier"):
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                if getattr(field, "auto_created", False) or not hasattr(field, "verbose_name"):
                    continue
                if str(field.verbose_name) == field.name.replace("_", " "):
                    names.add(capfirst(field.name.replace("_", " ")))
    return names - FRENCH_TOO


def findings(url, html, english):
    found = []
    for tag in FORM_TAG.findall(html):
        if "novalidate" not in tag:
            found.append(f"{url}: a form without novalidate: {tag[:90]}")
    if "---------" in html:
        found.append(f"{url}: an empty choice '---------'")
    if NONE_TEXT.search(html):
        found.append(f"{url}: 'None' shown")
    for label in LABEL.findall(html):
        text = " ".join(TAGS.sub(" ", label).split())
        if text.lower().count("optionnel") > 1:
            found.append(f"{url}: '(optionnel)' twice in « {text} »")
        bare = text.removesuffix("*").removesuffix("(optionnel)").strip()
        if bare in english:
            found.append(f"{url}: an English label « {bare} »")
    return found


class RecordingClient(Client):
    """A client that keeps the HTML of the pages it reads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages = {}

    def get(self, path, *args, **kwargs):
        response = super().get(path, *args, **kwargs)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            self.pages[path] = response.content.decode()
        return response


def test_no_page_of_any_demo_role_has_a_bare_form_dashes_none_or_an_english_label(
    demo_world,  # noqa: F811
    settings,
):
    settings.MEDIA_ROOT = demo_world.media
    english = english_names()
    found, pages = [], 0
    for user in [None, *demo_world.accounts]:
        client = RecordingClient()
        if user is not None:
            client.force_login(user)
        harness.crawl(client, ["/", "/tableau-de-bord/", *entry_urls()], max_pages=60)
        pages += len(client.pages)
        for url, html in client.pages.items():
            found += findings(url, html, english)
    assert pages > 19 * 5  # the crawl reached pages
    assert not sorted(set(found)), "\n".join(sorted(set(found)))
