from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "govcube.services"
    label = "services"
    verbose_name = _("One-stop service desk")

    def ready(self) -> None:
        from govcube.core import health
        from govcube.services import desk, messages  # noqa: F401
        from govcube.services.health import sla_sweep_check

        health.register("sla_sweep", sla_sweep_check)
