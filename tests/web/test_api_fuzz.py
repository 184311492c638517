"""Schemathesis drives every operation of /api/v1/openapi.json against the app in-process
(WSGI, SQLite), with bearer tokens of two roles, valid and invalid data alike. Any 5xx,
any status the OpenAPI does not list, or an error body off the contract fails the build.

Bounded for CI: FUZZ_EXAMPLES examples per operation, role and mode (default 6) and a
wall-clock budget (FUZZ_BUDGET seconds, default 150). The seed is printed; replay a
failure with ``FUZZ_SEED=<seed>``.
"""

from __future__ import annotations

import os
import random
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.workflow.test_pairs_factories import reference  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("reference")]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
BUDGET = float(os.environ.get("FUZZ_BUDGET", "150"))
SEED = int(os.environ.get("FUZZ_SEED") or random.randrange(2**32))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
ROLES = ("admin1", "officer")


def _runner(strategy, headers: dict):
    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    return run


def test_api_survives_schema_driven_fuzzing(app, api, capsys):
    with capsys.disabled():
        print(f"\n[schemathesis] seed {SEED} (replay: FUZZ_SEED={SEED}), "
              f"{EXAMPLES} examples per operation/role/mode, budget {BUDGET:.0f} s")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    failures: list[str] = []
    started = time.monotonic()
    ran = 0
    for role in ROLES:
        headers = {"Authorization": f"Bearer {api.token(role)}"}
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                if time.monotonic() - started > BUDGET:
                    break
                try:
                    _runner(operation.as_strategy(generation_mode=mode), headers)()
                except Exception as exc:  # noqa: BLE001 - collected, reported together
                    failures.append(f"{role} {operation.label} [{mode.value}]: "
                                    f"{str(exc)[:1500]}")
                ran += 1
    with capsys.disabled():
        print(f"[schemathesis] {ran} operation runs in {time.monotonic() - started:.0f} s, "
              f"{len(failures)} failing (seed {SEED})")
    assert not failures, f"seed {SEED}:\n" + "\n\n".join(failures)
