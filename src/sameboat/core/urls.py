"""Core's own pages: the health probe and the inbox. The site's URLconf (sameboat.site.urls)
mounts them in the ``core`` namespace beside the dashboard, the audit trail and the jobs."""

from django.urls import path

from sameboat.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<id:pk>/read", views.inbox_read, name="inbox_read"),
    path("inbox/read-all", views.inbox_read_all, name="inbox_read_all"),
]
