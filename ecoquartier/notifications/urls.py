from django.urls import path

from ecoquartier.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/lue/", views.mark_read, name="read"),
    path("tout-lu/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
]
