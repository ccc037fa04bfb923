from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "govcube.engagement"
    label = "engagement"
    verbose_name = _("Liaison and visits")

    def ready(self) -> None:
        from govcube.core import media
        from govcube.engagement import desk, messages  # noqa: F401
        from govcube.engagement.selectors import visit_photo_visible

        media.register(visit_photo_visible)
