from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _digest_check():
    from govcube.notifications.digest import digest_health

    return digest_health()


class NotificationsConfig(AppConfig):
    name = "govcube.notifications"
    label = "notifications"
    verbose_name = _("notifications")

    def ready(self) -> None:
        from govcube.core import health

        health.register("notifications_digest", _digest_check)
