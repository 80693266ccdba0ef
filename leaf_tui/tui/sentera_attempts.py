"""What the support engineer last typed into a grower's Sentera form, kept for the session.

A recreate deletes the old credential before creating the new one (Leaf cannot check a password
otherwise), so a refused create leaves the grower with nothing: the username and organization
must not be lost with the form. Kept in memory only, and never the password.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SenteraAttempt:
    """The last connect or recreate of one grower that did not end with a credential."""

    username: str | None = None
    organization: str | None = None
    error: str | None = None
    """What Leaf said when it refused the credential (the diagnosis reads it)."""
    removed: bool = False
    """A recreate deleted the old credential: the grower has none until a connect succeeds."""

    @property
    def typed(self) -> dict[str, str]:
        """The fields to fill a new form with (the password never is)."""
        fields = {"username": self.username, "organization": self.organization}
        return {name: value for name, value in fields.items() if value}


class SenteraAttempts:
    """Per Leaf user id; one instance lives on the app, so leaving the screen keeps them."""

    def __init__(self) -> None:
        self._by_user: dict[str, SenteraAttempt] = {}

    def get(self, user_id: str) -> SenteraAttempt | None:
        return self._by_user.get(user_id)

    def remember(self, user_id: str, attempt: SenteraAttempt) -> None:
        self._by_user[user_id] = attempt

    def forget(self, user_id: str) -> None:
        self._by_user.pop(user_id, None)


__all__ = ["SenteraAttempt", "SenteraAttempts"]
