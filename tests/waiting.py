"""Waiting in tests without ``time.sleep``: under faketime (the suite's any-day check)
``time.sleep`` fails with EINVAL (libfaketime's clock_nanosleep), an Event wait does not."""

import threading


def pause(seconds: float) -> None:
    threading.Event().wait(seconds)
