"""The journal is not flooded by the outbox relay's 2-second ticks: Celery's INFO lines about
a relay that found nothing are dropped, its runs that relayed something and every warning
stay (deploy/README §7 reads these logs)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from tasks.celery_app import QuietRelay
from tests.waiting import pause

TASK = "tasks.relay.relay_outbox[5b0c…]"


def _kept(name: str, message: str, level: int = logging.INFO) -> bool:
    record = logging.LogRecord(name, level, __file__, 1, message, None, None)
    return QuietRelay().filter(record)


def test_only_the_relays_idle_ticks_are_dropped():
    assert not _kept("celery.beat", "Scheduler: Sending due task relay-outbox "
                                    "(tasks.relay.relay_outbox)")
    assert not _kept("celery.worker.strategy", f"Task {TASK} received")
    assert not _kept("celery.app.trace", f"Task {TASK} succeeded in 0.0015s: 0")
    assert _kept("celery.app.trace", f"Task {TASK} succeeded in 0.0031s: 12")
    assert _kept("celery.app.trace", f"Task {TASK} raised unexpected: OperationalError()",
                 logging.ERROR)
    assert _kept("celery.worker.strategy", "Task tasks.effect_tasks.run_effects[1] received")
    assert _kept("tasks.relay", "broker unavailable (timeout); 3 effects wait", logging.WARNING)


@pytest.mark.redis
def test_a_running_beat_logs_its_start_but_not_its_ticks(tmp_path):
    env = dict(os.environ, NASTAVNIK_LOG_FORMAT="json")
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tasks.celery_app", "beat", "--loglevel", "INFO",
         f"--schedule={tmp_path / 'beat-schedule'}"],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        pause(7)  # three ticks of the relay
    finally:
        beat.terminate()
        for _ in range(300):  # (no time.sleep, no communicate(timeout=): see tests.waiting)
            if beat.poll() is not None:
                break
            pause(0.1)
        else:
            beat.kill()
        _, err = beat.communicate()
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(line["msg"].startswith("beat: Starting") for line in lines), err[-2000:]
    assert not [line for line in lines if "relay-outbox" in line["msg"]]
