from django.urls import path

from ecoquartier.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    # Before <slug>/: "nouveau" is a reserved slug (services.RESERVED_SLUGS).
    path("nouveau/", views.project_create, name="create"),
    path("<slug:slug>/", views.project_detail, name="detail"),
    path("<slug:slug>/modifier/", views.project_edit, name="edit"),
    path("<slug:slug>/historique/", views.project_timeline, name="timeline"),
]
