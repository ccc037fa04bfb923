from django.http import HttpResponse

from govcube.core import access


@access.permission("core.import_data")
def import_list(request):
    return HttpResponse("")
