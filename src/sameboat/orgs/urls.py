"""Organisation pages: the tree, organisations, people, leadership groups and regions."""

from django.urls import include, path

from sameboat.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children", views.tree_children, name="tree_children"),
    path("<int:pk>/edit", views.edit, name="edit"),
    path("<int:pk>/add", views.add_child, name="add_child"),
    path("<int:pk>/move", views.move, name="move"),
    path("<int:pk>/members/grant", views.member_grant, name="member_grant"),
    path("<int:pk>/members/<int:membership_pk>/revoke", views.member_revoke, name="member_revoke"),
    path("<int:pk>/leadership", views.leadership_set, name="leadership_set"),
    path("<int:pk>/leadership/add", views.leader_add, name="leader_add"),
    path("<int:pk>/leadership/<int:member_pk>/remove", views.leader_remove, name="leader_remove"),
    path("<int:pk>/people/add", views.person_add, name="person_add"),
    path("people/", views.people, name="people"),
    path("people/export.<str:fmt>", views.people_export, name="people_export"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/edit", views.person_edit, name="person_edit"),
    path("regions/", views.regions, name="regions"),
    path("regions/<int:pk>/", views.region, name="region"),
    # Spreadsheet imports live in their own module (and their own pages).
    path("import/", include("sameboat.orgs.import_urls")),
]
