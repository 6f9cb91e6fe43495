"""A test-only page showing the territory form fields, for the browser journeys.

Mounted with settings.ROOT_URLCONF = "tests.territories.widget_page" (the real URLs included).
"""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import RequestContext, Template
from django.urls import include, path

from ecoquartier.territories.forms import TerritoryChoiceField, TerritoryMultipleChoiceField

PAGE = Template(
    """{% extends "base.html" %}
{% block title %}Sélecteur de territoires{% endblock %}
{% block extra_css %}{{ form.media.css }}{% endblock %}
{% block content %}
  <h1>Sélecteur de territoires</h1>
  <form method="post" novalidate>
    {% csrf_token %}
    {{ form }}
    <button class="fr-btn" type="submit">Enregistrer</button>
  </form>
  {% if chosen %}<p id="chosen">{{ chosen }}</p>{% endif %}
{% endblock %}
{% block extra_js %}{{ form.media.js }}{% endblock %}"""
)


class WidgetForm(forms.Form):
    communes = TerritoryMultipleChoiceField(kinds=("commune",), label="Communes du projet")
    perimeter = TerritoryChoiceField(label="Périmètre de l’appel", required=False)


@login_not_required
def widget_page(request):
    form = WidgetForm(request.POST or None)
    chosen = None
    if form.is_valid():
        chosen = " ".join(t.code for t in form.cleaned_data["communes"])
    get_token(request)
    return HttpResponse(PAGE.render(RequestContext(request, {"form": form, "chosen": chosen})))


urlpatterns = [
    path("essai-territoires/", widget_page),
    path("", include("config.urls")),
]
