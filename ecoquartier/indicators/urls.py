from django.urls import path

from ecoquartier.indicators import views

app_name = "indicators"

urlpatterns = [
    path("projet/<slug:slug>/", views.board, name="board"),
    path("projet/<slug:slug>/modele.xlsx", views.template, name="template"),
    path("projet/<slug:slug>/export.xlsx", views.export, name="export"),
    path("projet/<slug:slug>/import/", views.start_import, name="import"),
    path("projet/<slug:slug>/ajouter/", views.add_custom, name="custom_add"),
    path("import/<int:pk>/", views.import_status, name="import_status"),
    path(
        "programme/<slug:slug>/valeurs.csv",
        views.programme_export,
        {"fmt": "csv"},
        name="programme_csv",
    ),
    path(
        "programme/<slug:slug>/valeurs.xlsx",
        views.programme_export,
        {"fmt": "xlsx"},
        name="programme_xlsx",
    ),
    path("projet/<slug:slug>/<str:code>/", views.indicator, name="indicator"),
]
