"""Load test of the production topology (`make loadtest`, docs/production.md).

A mix of the platform's users, each request uncached unless said otherwise:
- visitors (5 in 8): the aid finder for a new commune and a new word each time (uncached),
  the project list and a project page (cached for visitors, as in production);
- project holders (2 in 8): log in, open their dashboard and project, and edit the project's
  summary (a real write, each through the form's CSRF and version checks);
- instructors (1 in 8): log in and open a call's instruction dashboard and ranking.

It only ever talks to 127.0.0.1 and stops by itself: after `--run-time` (the make target gives
one) or MAX_REQUESTS requests, whichever comes first.
"""

import html.parser
import os
import random
import re
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

PASSWORD = "motdepasse-demo-2026"
HOLDER = "porteur.saint-ouen@demo.ecoquartier.fr"
INSTRUCTOR = "gestionnaire.dgaln@demo.ecoquartier.fr"
PROJECT = "ecoquartier-des-docks"
CALL = "ami-quartiers-durables-paca-2017"
MAX_REQUESTS = int(os.environ.get("MAX_REQUESTS", "20000"))
# Communes of every region (INSEE codes) and words of the calls' texts: a new pair each request.
COMMUNES = [
    "04160", "04012", "04197", "04188", "06088", "13055", "83137", "84007", "93070", "75056",
    "91103", "59350", "38185", "44109", "33063", "31555", "67482", "76540", "37261", "89024",
    "35238", "64102", "69123", "34172", "21231", "25056", "45234", "63113", "87085", "29019",
    "14118", "51108", "57463", "80021", "86194", "17300", "30189", "66136", "2A004", "97411",
]  # fmt: skip
WORDS = [
    "friche", "quartier", "biodiversité", "mobilité", "énergie", "eau", "centre-bourg",
    "sobriété", "participation", "entrée de ville", "accompagnement", "ingénierie",
]  # fmt: skip

_sent = 0
_saved_edits = 0


@events.init.add_listener
def _only_localhost(environment, **kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"This load test only targets 127.0.0.1, not {environment.host!r}.")


_environment = None


@events.init.add_listener
def _remember(environment, **kwargs):
    global _environment
    _environment = environment


@events.quitting.add_listener
def _report_saved_edits(environment, **kwargs):
    """How many edits the platform confirmed, for the script to compare with the activity log."""
    path = os.environ.get("SAVED_EDITS_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(str(_saved_edits))


@events.request.add_listener
def _stop_after_max_requests(**kwargs):
    global _sent
    _sent += 1
    if _sent == MAX_REQUESTS and _environment.runner is not None:
        _environment.runner.quit()


class _Form(html.parser.HTMLParser):
    """The fields of the first POST form whose action contains `action` ("" for a form posting
    to its own page, without an action attribute), with their values."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.fields, self._textarea, self._select = (
            action,
            False,
            {},
            None,
            None,
        )

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.fields and attrs.get("method", "").lower() == "post":
            target = attrs.get("action") or ""
            self.inside = self.action in target if self.action else not target
        if not self.inside or not attrs.get("name") and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.setdefault(attrs["name"], []).append(attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = [""]
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_fields(page, action):
    parser = _Form(action)
    parser.feed(page)
    return parser.fields


class _User(HttpUser):
    """Trusts the topology's self-signed certificate (CA_BUNDLE), nothing else."""

    abstract = True

    def on_start(self):
        # Our certificate only: no CA bundle nor proxy from the environment.
        self.client.trust_env = False
        self.client.verify = os.environ.get("CA_BUNDLE", True)
        # Django checks the Referer of HTTPS form posts against the host, as browsers send it.
        self.client.headers["Referer"] = self.host + "/"


class _SignedIn(_User):
    abstract = True
    email = ""

    def on_start(self):
        super().on_start()
        page = self.client.get("/compte/connexion/", name="login page").text
        fields = form_fields(page, "/compte/connexion/")
        fields.update(username=[self.email], password=[PASSWORD])
        with self.client.post(
            "/compte/connexion/", data=fields, name="log in", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"not logged in: HTTP {response.status_code}")


class Visitor(_User):
    weight = 5
    wait_time = between(1, 3)

    @task(3)
    def finder(self):
        params = {"territory": f"commune:{random.choice(COMMUNES)}", "q": random.choice(WORDS)}
        self.client.get("/aides/", params=params, name="finder (new commune + text)")

    @task(1)
    def projects(self):
        page = self.client.get("/projets/", name="project list").text
        slugs = re.findall(r'href="/projets/([a-z0-9-]+)/"', page)
        if slugs:
            self.client.get(f"/projets/{random.choice(slugs)}/", name="project page")


class Holder(_SignedIn):
    weight = 2
    wait_time = between(2, 5)
    email = HOLDER

    @task(2)
    def dashboard(self):
        self.client.get("/tableau-de-bord/", name="dashboard")
        self.client.get(f"/projets/{PROJECT}/", name="project page (holder)")

    @task(1)
    def edit_project(self):
        """Edit the summary as a person would: two holders saving at once get a 409 for the
        stale one (the version check, by design), reload and save again."""
        global _saved_edits
        url = f"/projets/{PROJECT}/modifier/"
        for attempt in ("project edit (save)", "project edit (save after a conflict)"):
            page = self.client.get(url, name="project edit form").text
            fields = form_fields(page, "")
            if "summary" not in fields:
                return
            number = random.randint(1, 10**9)
            fields["summary"] = [f"Résumé mis à jour pendant l'essai de charge n° {number}."]
            with self.client.post(
                url, data=fields, name=attempt, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code == 302:
                    _saved_edits += 1
                    return
                if response.status_code == 409 and attempt.endswith("(save)"):
                    response.success()  # refused as designed: reload and try again
                    continue
                response.failure(f"not saved: HTTP {response.status_code}")
                return


class Instructor(_SignedIn):
    weight = 1
    wait_time = between(2, 5)
    email = INSTRUCTOR

    @task
    def instruct(self):
        self.client.get(f"/candidatures/appel/{CALL}/instruction/", name="instruction dashboard")
        self.client.get(f"/candidatures/appel/{CALL}/classement/", name="ranking")
