from django.urls import path

from ecoquartier.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.search, name="search"),
    path("autocomplete/", views.autocomplete_options, name="autocomplete"),
    path("autocomplete.json", views.autocomplete_json, name="autocomplete_json"),
]
