from django.http import HttpResponse

from govcube.core import access


@access.permission("workdays.change_workday")
def calendar(request):
    return HttpResponse("")
