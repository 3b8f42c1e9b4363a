# Scaffold: replaced by the UI work (home, healthz, inbox, audit).
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


home = healthz = inbox = inbox_read = inbox_read_all = audit_list = _todo
