from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Badge colours of the work app's states (only those no other app has coloured already).
STATE_TONES = {
    "pending": "warning",
    "rejected": "danger",
    "completed": "info",
    "verified": "success",
    "in_project": "primary",
    "met": "success",
    "available": "success",
    "committed": "primary",
}


class WorkConfig(AppConfig):
    name = "govcube.work"
    label = "work"
    verbose_name = _("Needs, resources and projects")

    def ready(self) -> None:
        from govcube.core import media
        from govcube.deliberation.templatetags.deliberation_tags import STATE_TONES as TONES
        from govcube.deliberation.templatetags.deliberation_tags import register_tone
        from govcube.work import desk, messages  # noqa: F401
        from govcube.work.selectors import progress_photo_visible

        media.register(progress_photo_visible)

        for state, tone in STATE_TONES.items():
            if state not in TONES:
                register_tone(state, tone)
