from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from govcube.api import api
from govcube.core import access
from govcube.core.media import protected_media
from govcube.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", access.declare(set_language, access.PUBLIC), name="set_language"),
    path("i18n/js/", access.declare(JavaScriptCatalog.as_view(), access.PUBLIC), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("govcube.accounts.urls")),
    path("territory/", include("govcube.territory.urls")),
    path("directory/", include("govcube.directory.urls")),
    path("bodies/", include("govcube.bodies.urls")),
    path("deliberation/", include("govcube.deliberation.urls")),
    path("services/", include("govcube.services.urls")),
    path("engagement/", include("govcube.engagement.urls")),
    path("work/", include("govcube.work.urls")),
    path("evaluation/", include("govcube.evaluation.urls")),
    path("imports/", include("govcube.core.import_urls")),
    path("workdays/", include("govcube.workdays.urls")),
    path("notifications/", include("govcube.notifications.urls")),
    path("audit/", include("govcube.audit.urls")),
    path("api/v1/", api.urls),
    path("media/<path:path>", protected_media, name="media"),
    path("", include("govcube.core.urls")),
]
