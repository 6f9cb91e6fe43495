"""What a browser does with the platform's pages, for the security tests: read the forms and
links of a page, fill a form as rendered, send it, and follow links within the site.

The crawl starts from a list of entry URLs (`entry_urls`); the permission matrix's list of every
instantiated URL can replace it as is.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve

# Fields whose rendered value must be sent back untouched for the request to mean anything:
# the CSRF token, optimistic-lock versions, single-use keys, merge bases.
PROTECTED = {"csrfmiddlewaretoken", "_idempotency_key", "_base", "version"}
PROTECTED_SUFFIXES = ("-version", "-revision", "-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS",
                      "-MAX_NUM_FORMS")  # fmt: skip


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""  # as rendered
    options: list = field(default_factory=list)  # select options, radio/checkbox values
    checked: list = field(default_factory=list)  # the values a browser would send
    multiple: bool = False

    @property
    def protected(self):
        return self.name in PROTECTED or self.name.endswith(PROTECTED_SUFFIXES)


@dataclass
class Form:
    page: str
    method: str
    action: str
    enctype: str
    fields: dict  # name -> Field, in document order
    submits: list  # (name, value) of the submit buttons

    def data(self, **overrides):
        """What a browser sends when the form is submitted as rendered, with `overrides`
        (a list for a field sent several times)."""
        data = {}
        for name, item in self.fields.items():
            if item.kind in ("checkbox", "radio", "select"):
                if item.checked:
                    data[name] = item.checked if len(item.checked) > 1 else item.checked[0]
            elif item.kind not in ("file", "submit", "button", "image", "reset"):
                data[name] = item.value
        if self.submits and self.submits[0][0]:
            data.setdefault(self.submits[0][0], self.submits[0][1])
        data.update(overrides)
        return data

    @property
    def route(self):
        """The URL pattern the form posts to (one pattern stands for all its objects)."""
        try:
            match = resolve(urlsplit(self.action).path)
        except Resolver404:
            return self.action
        return match.route

    def signature(self):
        """Forms alike: same method, URL pattern and fields (numbers in names aside, as the
        prefixes of the twenty commitment forms of an assessment page)."""
        names = sorted({re.sub(r"\d+", "N", name) for name in self.fields})
        return (self.method, self.route, tuple(names))


class _Parser(HTMLParser):
    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms, self.links = [], []
        self._form, self._forms = None, []
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(urljoin(self.page, attrs["href"]))
        if tag == "form":
            # A form posted by htmx (an autosave) is also posted without JavaScript: both.
            method = "post" if attrs.get("hx-post") else attrs.get("method", "get").lower()
            actions = [attrs.get("action") or self.page]
            if attrs.get("hx-post"):
                actions.append(attrs["hx-post"])
            self._forms = [
                Form(
                    self.page, method, urljoin(self.page, action), attrs.get("enctype", ""), {}, []
                )
                for action in dict.fromkeys(actions)
            ]
            self._form = self._forms[0]
            self.forms.extend(self._forms)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._form.submits.append((name, attrs.get("value", "")))
                return
            item = self._form.fields.setdefault(name, Field(name, kind))
            if kind in ("checkbox", "radio"):
                item.options.append(attrs.get("value", "on"))
                if "checked" in attrs:
                    item.checked.append(attrs.get("value", "on"))
            else:
                item.value = attrs.get("value", "")
        elif tag == "button" and name:
            self._form.submits.append((name, attrs.get("value", "")))
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = self._form.fields.setdefault(
                name, Field(name, "select", multiple="multiple" in attrs)
            )
        elif tag == "option" and self._select is not None:
            self._option = attrs.get("value")
            if self._option is not None:
                self._select.options.append(self._option)
                if "selected" in attrs:
                    self._select.checked.append(self._option)
        elif tag == "textarea" and name and "disabled" not in attrs:
            self._textarea = self._form.fields.setdefault(name, Field(name, "textarea"))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            for twin in self._forms[1:]:  # the same fields, posted elsewhere
                twin.fields, twin.submits = self._form.fields, self._form.submits
            self._form, self._forms = None, []
        elif tag == "select":
            item = self._select
            if item is not None and item.options and not item.checked and not item.multiple:
                item.checked.append(item.options[0])  # a browser sends the first option
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def parse(html, page):
    """(forms, links) of a page."""
    parser = _Parser(page)
    parser.feed(html)
    return parser.forms, parser.links


# Links a crawl does not follow: leaving, files, and what changes state on a GET by design.
SKIPPED = ("/compte/deconnexion", "/admin/", "/static/", "/media/", "mailto:", "tel:")
SKIPPED_ENDINGS = (".pdf", ".csv", ".xlsx", ".json", ".ics", "/telecharger/", "/document/")


def followable(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
        return False
    path = parts.path
    return not any(s in url for s in SKIPPED) and not path.endswith(SKIPPED_ENDINGS)


def local(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Crawl:
    pages: list = field(default_factory=list)  # (url, status)
    forms: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def crawl(client, entry_urls, *, max_pages=60, per_route=1, max_tries=8):
    """Pages reachable from `entry_urls` (breadth first, at most `max_pages` requests), with
    `per_route` readable instances of each URL pattern (trying at most `max_tries`), and the
    forms they hold."""
    result = Crawl()
    queue, seen, routes, tries = deque(local(u) for u in entry_urls), set(), {}, {}
    while queue and len(result.pages) < max_pages:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            route = resolve(urlsplit(url).path).route
        except Resolver404:
            continue
        if routes.get(route, 0) >= per_route or tries.get(route, 0) >= max_tries:
            continue
        tries[route] = tries.get(route, 0) + 1
        try:
            response = client.get(url)
        except Exception as error:  # noqa: BLE001 - a page that fails is a finding
            result.errors.append(f"GET {url}: {type(error).__name__}: {error}")
            continue
        result.pages.append((url, response.status_code))
        if response.status_code >= 500:
            result.errors.append(f"GET {url}: answered {response.status_code}")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue  # another instance of the pattern may be readable: it will be tried
        routes[route] = routes.get(route, 0) + 1
        forms, links = parse(response.content.decode(), "http://testserver" + url)
        result.forms.extend(forms)
        queue.extend(local(link) for link in links if followable(link))
    return result


def query_params(url):
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
