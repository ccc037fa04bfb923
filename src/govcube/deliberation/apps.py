from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "govcube.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self):
        from govcube.deliberation import desk, desk_meetings, messages  # noqa: F401
