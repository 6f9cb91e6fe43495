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
    visible: Callable | None = None  # visible(user) -> bool; None: everyone

    def shown_to(self, user):
        return self.visible is None or bool(self.visible(user))


_links: dict[str, dict[str, Link]] = {}


def register_link(slot, label, url_name, order=100, icon="", text="", visible=None):
    """Add a link to core's `slot` (see Link), from the higher app's AppConfig.ready(), so that
    core names no higher app's URLs. `visible(user)` limits it to the roles it serves (the user
    may be anonymous). Registering the same URL name twice in a slot replaces it."""
    _links.setdefault(slot, {})[url_name] = Link(label, url_name, order, icon, text, visible)


def links(slot, *own, user=None):
    """The links of `slot`, core's `own` (Link) among them, in their order; with `user`, only
    those shown to that user."""
    found = [*own, *_links.get(slot, {}).values()]
    if user is not None:
        found = [link for link in found if link.shown_to(user)]
    return sorted(found, key=lambda link: link.order)


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


# --- Role-aware links and the task inbox ----------------------------------------------------------
# A link may carry `visible(user) -> bool` (see register_link): the header's menu and the
# dashboard's shortcuts show it only to those it says yes to, so each role sees what it can do.
# The dashboard's inbox ("À faire") asks each registered provider for the user's tasks.


@dataclass(frozen=True)
class Task:
    """One line of a user's inbox: `count` things of a kind waiting at `url` (where the task is
    done). `detail` says more (e.g. the nearest due date); `due` orders the urgent first."""

    label: str
    count: int
    url: str
    detail: str = ""
    due: object = None  # a date, or None
    order: int = 100


_task_providers: dict[str, tuple[int, Callable]] = {}


def register_tasks(name, provider, order=100):
    """`provider(user)` returns the user's Tasks of app `name` (an iterable; empty when none).
    A provider runs a bounded number of queries whatever the data size."""
    _task_providers[name] = (order, provider)


def tasks(user):
    """Every provider's tasks for `user` with a count above zero, the dated ones nearest first."""
    found = []
    for _order, provider in sorted(_task_providers.values(), key=lambda item: item[0]):
        found.extend(task for task in provider(user) if task.count)
    return sorted(found, key=lambda t: (t.due is None, str(t.due or ""), t.order))


# --- Per-user actions on cards shared by everyone ----------------------------------------------
# A lower app's list of cards may be cached for everyone (the calls finder, ADR 22); what a
# higher app offers each user on a card ("Candidater", "Reprendre ma candidature") is asked for
# every request, for the page's cards at once, and put in the card's slot outside the cache.


_card_actions: dict[str, dict[str, Callable]] = {}


def register_card_actions(slot, name, provider):
    """`provider(cards, request)` returns {card key: HTML} for the `cards` (dicts the lower app
    describes, each with its "pk") of a page of `slot`, in a bounded number of queries."""
    _card_actions.setdefault(slot, {})[name] = provider


def card_actions(slot, cards, request):
    """{card key: the HTML every provider of `slot` offers `request`'s user on that card}."""
    found = {}
    for provider in _card_actions.get(slot, {}).values():
        for key, html in provider(cards, request).items():
            found[key] = found.get(key, "") + html
    return found


# --- Filters on a lower app's lists ---------------------------------------------------------------
# A lower app lists rows whose meaning a higher app may narrow: a call's laureates (applications)
# are, for a label campaign, only the files the national commission awarded (labels).

_filters: dict[str, dict[str, Callable]] = {}


def register_filter(slot, name, function):
    """`function(queryset, obj)` returns the rows of `slot` for `obj` that remain (e.g. slot
    "laureates", obj a call). Registering the same name twice for a slot replaces it."""
    _filters.setdefault(slot, {})[name] = function


def filtered(slot, queryset, obj):
    """`queryset` through every filter registered for `slot`."""
    for function in _filters.get(slot, {}).values():
        queryset = function(queryset, obj)
    return queryset
