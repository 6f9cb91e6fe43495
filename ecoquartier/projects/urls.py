from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import path

app_name = "projects"


@login_not_required
def project_list(request):  # placeholder until the projects views land
    return render(request, "core/home.html")


urlpatterns = [path("", project_list, name="list")]
