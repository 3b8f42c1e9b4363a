from django.urls import path

from sameboat.health import views

app_name = "health"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("checkin/", views.checkin, name="checkin"),
    path("checkin/repeat", views.checkin_repeat, name="checkin_repeat"),
    path("me/", views.my_history, name="my_history"),
    path("followup/", views.cases, name="cases"),
    path("followup/<id:pk>/", views.case, name="case"),
    path("quarantines/", views.quarantines, name="quarantines"),
    path("quarantines/new", views.quarantine_new, name="quarantine_new"),
    path("quarantines/<id:pk>/", views.quarantine, name="quarantine"),
    path("missing/", views.missing, name="missing"),
    path("fevers/", views.fevers, name="fevers"),
    path("missing/remind", views.remind, name="remind"),
    path("people/<id:pk>/checkins/", views.person_checkins, name="person_checkins"),
    path("export/returns.<str:fmt>", views.returns_export, name="returns_export"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
