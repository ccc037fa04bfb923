from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "govcube.evaluation"
    label = "evaluation"
    verbose_name = _("Supervision and evaluation")

    def ready(self) -> None:
        from govcube.evaluation import desk, messages  # noqa: F401
