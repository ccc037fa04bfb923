"""Deliberation fixtures (the committee itself lives in tests/conftest.py, shared with later modules)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def soon():
    def _soon(days=3, hour=14):
        start = (timezone.localtime() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
        return start, start + timedelta(hours=2)

    return _soon
