from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "govcube.workdays"
    label = "workdays"
    verbose_name = _("workdays")

    def ready(self) -> None:
        from django.core import checks
        from django.core.signals import setting_changed

        from govcube.core import health
        from govcube.workdays.checks import check_office_hours
        from govcube.workdays.health import calendar_check

        health.register("workdays", calendar_check)
        checks.register(check_office_hours)
        setting_changed.connect(_office_hours_changed, dispatch_uid="workdays-office-hours")


def _office_hours_changed(*, setting, **kwargs) -> None:
    if setting == "GOVCUBE_OFFICE_HOURS":
        from govcube.workdays.calendar import clear_local_cache

        clear_local_cache()
