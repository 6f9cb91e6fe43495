from django.urls import path

from ecoquartier.indicators import views

app_name = "indicators"

urlpatterns = [
    path("projet/<slug:slug>/", views.board, name="board"),
    path("projet/<slug:slug>/<str:code>/", views.indicator, name="indicator"),
]
