"""The sign-in throttle: five failures in the window lock a login until the oldest expires."""

from __future__ import annotations

from app.services.throttle import SignInThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_fifth_failure_locks_the_login_until_the_first_leaves_the_window() -> None:
    clock = Clock()
    throttle = SignInThrottle(max_failures=5, window_s=900, clock=clock)
    for _ in range(4):
        throttle.failed("Ana")
        clock.now += 10
    assert throttle.retry_after("ana") == 0
    throttle.failed(" ANA ")
    assert throttle.retry_after("ana") == 1000 + 900 - clock.now
    clock.now = 1000 + 900
    assert throttle.retry_after("ana") == 0
    assert throttle.retry_after("bob") == 0


def test_a_success_forgets_the_failures() -> None:
    throttle = SignInThrottle(max_failures=2, window_s=900, clock=Clock())
    throttle.failed("ana")
    throttle.succeeded("ana")
    throttle.failed("ana")
    assert throttle.retry_after("ana") == 0
