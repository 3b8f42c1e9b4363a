"""Organisation pages: the tree, organisations, people, leadership groups and regions."""

from django.urls import include, path

from sameboat.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/children", views.tree_children, name="tree_children"),
    path("<id:pk>/edit", views.edit, name="edit"),
    path("<id:pk>/add", views.add_child, name="add_child"),
    path("<id:pk>/move", views.move, name="move"),
    path("<id:pk>/members/grant", views.member_grant, name="member_grant"),
    path("<id:pk>/members/<id:membership_pk>/revoke", views.member_revoke, name="member_revoke"),
    path("<id:pk>/leadership", views.leadership_set, name="leadership_set"),
    path("<id:pk>/leadership/add", views.leader_add, name="leader_add"),
    path("<id:pk>/leadership/<id:member_pk>/remove", views.leader_remove, name="leader_remove"),
    path("<id:pk>/people/add", views.person_add, name="person_add"),
    path("search/", views.org_search, name="org_search"),
    path("people/", views.people, name="people"),
    path("people/export.<str:fmt>", views.people_export, name="people_export"),
    path("people/<id:pk>/", views.person, name="person"),
    path("people/<id:pk>/edit", views.person_edit, name="person_edit"),
    path("regions/", views.regions, name="regions"),
    path("regions/<id:pk>/", views.region, name="region"),
    # Spreadsheet imports live in their own module (and their own pages).
    path("import/", include("sameboat.orgs.import_urls")),
]
