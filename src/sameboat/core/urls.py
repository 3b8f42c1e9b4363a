from django.urls import path

from sameboat.core import job_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<id:pk>/read", views.inbox_read, name="inbox_read"),
    path("inbox/read-all", views.inbox_read_all, name="inbox_read_all"),
    path("audit/", views.audit_list, name="audit"),
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<uuid:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/status", job_views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/retry", job_views.job_retry_view, name="job_retry"),
]
