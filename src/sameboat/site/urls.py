"""The pages under the site's root: core's own (health probe, inbox) and the site's (dashboard,
audit trail, jobs). They keep the ``core`` namespace they have always had, so every link and
bookmark (core:home, core:audit, core:job_detail) still works."""

from django.urls import path

from sameboat.core import urls as core_urls
from sameboat.site import job_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    *core_urls.urlpatterns,
    path("audit/", views.audit_list, name="audit"),
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<uuid:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/status", job_views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/retry", job_views.job_retry_view, name="job_retry"),
]
