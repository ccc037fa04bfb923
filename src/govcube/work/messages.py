"""What the notifications of the work app say (registered once, from ``AppConfig.ready``)."""

from __future__ import annotations
