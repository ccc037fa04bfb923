from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "govcube.work"
    label = "work"
    verbose_name = _("Needs, resources and projects")

    def ready(self) -> None:
        from govcube.work import desk, messages  # noqa: F401
