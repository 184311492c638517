"""Where tests find sample files: the repository's own set under ``tests/fixtures/`` (always
there; rebuilt by ``tests/fixtures/build_fixtures.py``) and the larger real set in
``shared/samples`` beside the repository, which a clone of the repository alone lacks —
tests of that set skip with a reason instead of failing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("NASTAVNIK_SAMPLES")
              or Path(__file__).resolve().parents[2] / "shared" / "samples")

#: The repository's own roadmap: stem -> its period.
OWN_ROADMAPS = {"roadmap_school_small": ("2025-09-01", "2026-05-31")}
#: The real roadmaps in shared/samples: stem -> period.
SHARED_ROADMAPS = {"roadmap_school_2020": ("2020-06-01", "2021-05-31"),
                   "roadmap_school_2022_2024": ("2022-11-01", "2024-12-31")}
SKIP_REASON = "shared/samples is not beside this clone of the repository"


def roadmap_dir(stem: str) -> Path:
    """The folder holding ``stem``'s files; skips the test when only shared/ has it and
    shared/ is absent."""
    if stem in OWN_ROADMAPS:
        return FIXTURES / "roadmaps"
    folder = SHARED / "roadmaps"
    if not (folder / f"{stem}.expected.json").exists():
        pytest.skip(SKIP_REASON)
    return folder


def roadmap_periods() -> dict[str, tuple[str, str]]:
    return {**OWN_ROADMAPS, **SHARED_ROADMAPS}


def own_roadmap_bytes(ext: str = "docx") -> tuple[bytes, str]:
    stem = next(iter(OWN_ROADMAPS))
    return (FIXTURES / "roadmaps" / f"{stem}.{ext}").read_bytes(), f"{stem}.{ext}"


def phrase_files() -> list[Path]:
    """The own phrase set, plus the shared one when it is there."""
    files = [FIXTURES / "deadlines" / "phrases.json"]
    shared = SHARED / "deadlines" / "phrases.json"
    return files + ([shared] if shared.exists() else [])

