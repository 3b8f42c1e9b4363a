from django.urls import include, path

app_name = "orgs"
# The web UI pages are added by orgs/views.py; imports live in their own module.
urlpatterns: list = [
    path("import/", include("sameboat.orgs.import_urls")),
]
