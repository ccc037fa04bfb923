from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No self sign-up: accounts are created by the security administrator (or the demo loader)."""

    def is_open_for_signup(self, request) -> bool:
        return False
