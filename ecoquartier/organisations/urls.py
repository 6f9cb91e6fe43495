from django.urls import path

from ecoquartier.organisations import views

app_name = "organisations"
urlpatterns = [
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path(
        "territoire/<slug:kind>/<str:code>/",
        views.territory_detail,
        name="territory",
    ),
]
