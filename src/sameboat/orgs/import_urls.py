"""Spreadsheet import pages (inside the orgs namespace: orgs:import_start, orgs:import_template)."""

from django.urls import path

from sameboat.orgs import import_views

urlpatterns = [
    path("", import_views.import_start, name="import_start"),
    path("template/<str:kind>.<str:fmt>", import_views.import_template, name="import_template"),
]
