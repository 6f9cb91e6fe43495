"""The breadcrumb tag writes the DSFR markup the included template wrote (whitespace aside),
escaping labels and URLs."""

import re

import pytest
from django.template import Context, Template

OLD_TEMPLATE = """{% load i18n %}
<nav role="navigation" class="fr-breadcrumb" aria-label="{% translate 'vous êtes ici :' %}">
  <button class="fr-breadcrumb__button" aria-expanded="false" aria-controls="breadcrumb-trail">{% translate "Voir le fil d’Ariane" %}</button>
  <div class="fr-collapse" id="breadcrumb-trail">
    <ol class="fr-breadcrumb__list">
      <li><a class="fr-breadcrumb__link" href="{% url 'core:home' %}">{% translate "Accueil" %}</a></li>
      {% for label, url in breadcrumb %}
        <li>
          {% if forloop.last %}<a class="fr-breadcrumb__link" aria-current="page">{{ label }}</a>
          {% elif url %}<a class="fr-breadcrumb__link" href="{{ url }}">{{ label }}</a>
          {% else %}<span class="fr-breadcrumb__link">{{ label }}</span>{% endif %}
        </li>
      {% endfor %}
    </ol>
  </div>
</nav>"""  # noqa: E501 — the template as it was


def _squeeze(html):
    return re.sub(r">\s+<", "><", html).strip()


def _render(source, trail):
    return Template(source).render(Context({"breadcrumb": trail}))


def test_breadcrumb_tag_writes_the_template_markup():
    trail = [
        ("Trouver une aide", "/aides/"),
        ("Sans lien", None),
        ("Appel <b>« test »</b> & co", "/aides/x/?a=1&b=2"),
        ("Page courante", None),
    ]
    new = _render("{% load shell %}{% breadcrumb_trail %}", trail)
    assert _squeeze(new) == _squeeze(_render(OLD_TEMPLATE, trail))
    assert "&lt;b&gt;" in new and "?a=1&amp;b=2" in new
    assert new.count('aria-current="page"') == 1


def test_no_trail_no_breadcrumb():
    assert _render("{% load shell %}{% breadcrumb_trail %}", []) == ""
    assert _render("{% load shell %}{% breadcrumb_trail %}", None) == ""


@pytest.mark.django_db
def test_pages_render_the_trail(client):
    html = client.get("/aides/").content.decode()
    assert 'class="fr-breadcrumb"' in html
    assert '<a class="fr-breadcrumb__link" aria-current="page">Trouver une aide</a>' in html
