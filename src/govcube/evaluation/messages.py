"""What the notifications of the evaluation app say (registered once, from ``AppConfig.ready``)."""

from __future__ import annotations
