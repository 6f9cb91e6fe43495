"""Extension points that keep dependencies one-way.

A lower layer (projects) renders sections that higher layers (assessments, calls, labels…)
register from their AppConfig.ready(), so the project page links to everything attached to it
without importing those apps.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class ProjectSection:
    label: str
    url_name: str  # reversed with kwargs={"slug": project.slug}
    order: int = 100
    icon: str = "fr-icon-file-line"

    def url(self, project):
        return reverse(self.url_name, kwargs={"slug": project.slug})


_project_sections: dict[str, ProjectSection] = {}


def register_project_section(label, url_name, order=100, icon="fr-icon-file-line"):
    _project_sections[url_name] = ProjectSection(label, url_name, order, icon)


def project_sections():
    return sorted(_project_sections.values(), key=lambda s: s.order)


@dataclass(frozen=True)
class Panel:
    """A fragment a higher app adds to a lower app's page (e.g. laureates on a call page)."""

    template_name: str
    get_context: Callable[..., dict]
    order: int = 100
    with_request: bool = False  # get_context(obj, request): what the panel says depends on who asks


_panels: dict[str, dict[str, Panel]] = {}


def register_panel(slot, template_name, get_context, order=100, with_request=False):
    """Render `template_name` with `get_context(obj)` — `get_context(obj, request)` when
    `with_request` — wherever `{% render_panels slot obj %}` stands. Registering the same
    template twice for a slot replaces it."""
    _panels.setdefault(slot, {})[template_name] = Panel(
        template_name, get_context, order, with_request
    )


def panels(slot):
    return sorted(_panels.get(slot, {}).values(), key=lambda p: p.order)


@dataclass(frozen=True)
class Link:
    """A link a higher app adds to one of core's lists: `slot` "main_nav" (the header's menu),
    "home" (the home page's entry points: `label` is the title, `text` the description, `icon`
    the DSFR pictogram), "home_territories" (the home page's territory search button) or
    "dashboard" (the dashboard's shortcuts: `icon` a DSFR icon class)."""

    label: str
    url_name: str
    order: int = 100
    icon: str = ""
    text: str = ""


_links: dict[str, dict[str, Link]] = {}


def register_link(slot, label, url_name, order=100, icon="", text=""):
    """Add a link to core's `slot` (see Link), from the higher app's AppConfig.ready(), so that
    core names no higher app's URLs. Registering the same URL name twice in a slot replaces it."""
    _links.setdefault(slot, {})[url_name] = Link(label, url_name, order, icon, text)


def links(slot, *own):
    """The links of `slot`, core's `own` (Link) among them, in their order."""
    return sorted([*own, *_links.get(slot, {}).values()], key=lambda link: link.order)


# --- Pages core links to by role ------------------------------------------------------------------
# The header, home and footer pages link to signing in, the profile, the project list…: pages of
# higher apps. Those apps name them here from their AppConfig.ready(), and core's templates
# reverse them by role (`{% page_url "login" %}`), so that core names no higher app's URL.

_pages = {}


def register_page(role, url_name):
    """`role` (e.g. "login", "profile") is the page `url_name` of a higher app."""
    _pages[role] = url_name


def page_url_name(role):
    return _pages[role]
