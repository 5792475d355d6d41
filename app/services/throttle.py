"""Slow down password guessing: a login with too many recent failures is refused for a while.

Kept in memory per server process: enough to make guessing one account impractical (five
tries per quarter hour rather than thousands), without a table to clean up. A correct
password does not reset another client's count; a success clears the login's failures.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class SignInThrottle:
    """Counts failed sign-ins per login over a sliding window."""

    def __init__(
        self,
        *,
        max_failures: int = 5,
        window_s: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._clock = clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, login: str) -> float:
        """Seconds until ``login`` may try again; 0 when it may now."""
        with self._lock:
            recent = self._recent(login)
            if len(recent) < self.max_failures:
                return 0.0
            return max(0.0, recent[0] + self.window_s - self._clock())

    def failed(self, login: str) -> None:
        """Count one failed attempt."""
        with self._lock:
            self._recent(login).append(self._clock())

    def succeeded(self, login: str) -> None:
        """Forget the login's failures."""
        with self._lock:
            self._failures.pop(_key(login), None)

    def _recent(self, login: str) -> deque[float]:
        failures = self._failures[_key(login)]
        while failures and failures[0] <= self._clock() - self.window_s:
            failures.popleft()
        return failures


def _key(login: str) -> str:
    return login.strip().lower()
