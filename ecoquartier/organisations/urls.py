from django.urls import path

from ecoquartier.organisations import views

app_name = "organisations"
urlpatterns = [
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/membres/", views.members, name="members"),
    path("<int:pk>/membres/inviter/", views.invite, name="invite"),
    path(
        "<int:pk>/membres/<int:membership_pk>/modifier/",
        views.member_update,
        name="member_update",
    ),
    path(
        "<int:pk>/membres/<int:membership_pk>/retirer/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/renvoyer/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/annuler/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("<int:pk>/ecrire/", views.contact, name="contact"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path(
        "territoire/<slug:kind>/<str:code>/",
        views.territory_detail,
        name="territory",
    ),
]
