# Scaffold: replaced by the import/jobs work.
from django.http import HttpResponse
from django.urls import path


def _todo(request, *args, **kwargs):
    return HttpResponse("")


urlpatterns = [path("", _todo, name="import_start")]
