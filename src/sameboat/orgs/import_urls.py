"""The generic import pages (core.import_views) keep their addresses and names inside the orgs
namespace (orgs:import_start, orgs:import_template), where they started with the roster."""

from django.urls import path

from sameboat.core import import_views
from sameboat.orgs.views.imports import import_rejected

urlpatterns = [
    path("", import_views.import_start, name="import_start"),
    path("template/<str:kind>.<str:fmt>", import_views.import_template, name="import_template"),
    path("jobs/<uuid:pk>/rejected.<str:fmt>", import_rejected, name="import_rejected"),
]
