"""Pages of supervision and evaluation: rating a delivered item (the panel), evaluation rounds."""

from govcube.evaluation.views.ratings import rate, rating_panel_context
from govcube.evaluation.views.rounds import round_answer, round_close, round_create, round_detail, round_list

__all__ = ["rate", "rating_panel_context", "round_answer", "round_close", "round_create", "round_detail", "round_list"]
