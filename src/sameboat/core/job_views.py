# Scaffold: replaced by the import/jobs work.
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


job_list = job_detail = job_status = _todo
