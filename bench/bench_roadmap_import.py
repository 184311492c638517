"""Time a roadmap import: read_roadmap + parse_deadline for every item, DOCX and XLSX.

Target: a 40-item roadmap imports in under 1 s. The files are built with the exporter so
the benchmark needs no fixtures; the median of several runs hides start-up noise.
Run: ``python bench/bench_roadmap_import.py [runs]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from documents.roadmaps import read_roadmap
from documents.roadmaps.export import roadmap_to_docx, roadmap_to_xlsx
from workflow.roadmaps.deadlines import parse_deadline

TARGET_SECONDS = 1.0
PERIOD = (date(2022, 11, 1), date(2024, 12, 31))
PHRASES = (
    "Ноябрь-декабрь 2022 г.", "До 10.12. 2022 г.", "До 15. 10 ежегодно",
    "в течение всего периода реализации ЦМН", "Декабрь, июнь в период с 2022 по 2024 г.г.",
    "в соответствии со сроками реализации программ наставничества или май 2023 г. май 2024 г.",
    "в соответствии со сроками, устанавливаемыми Минпросвещения России", "I квартал 2023 г.",
)


def build_roadmap(items: int = 40) -> dict:
    """A realistic roadmap: 5 sections, long multi-line activities, varied deadlines."""
    sections = [{"number": str(n), "title": f"Раздел {n}: внедрение целевой модели"}
                for n in range(1, 6)]
    rows = []
    for index in range(items):
        section = str(index % 5 + 1)
        rows.append({
            "number": f"{section}.{index // 5 + 1}", "section": section,
            "activity": "Организация работы наставнических пар или групп:\n"
                        "встреча-знакомство;\nпробная встреча;\nитоговая встреча. " * 2,
            "deadline_text": PHRASES[index % len(PHRASES)],
            "responsible_text": "Петров А.М.\nСмирнова К.К.",
            "result_text": "Распорядительные акты", "status": "planned",
        })
    return {"title": "Дорожная карта (бенчмарк)", "period_start": PERIOD[0].isoformat(),
            "period_end": PERIOD[1].isoformat(), "sections": sections, "items": rows}


def import_once(data: bytes, filename: str) -> int:
    parsed = read_roadmap(data, filename)
    for item in parsed.items:
        parse_deadline(item["deadline_text"], PERIOD)
    return len(parsed.items)


def measure(data: bytes, filename: str, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        count = import_once(data, filename)
        timings.append(time.perf_counter() - started)
        assert count == 40, count
    return timings


def main(runs: int = 7) -> int:
    roadmap = build_roadmap()
    files = {"roadmap.docx": roadmap_to_docx(roadmap), "roadmap.xlsx": roadmap_to_xlsx(roadmap)}
    import_once(files["roadmap.docx"], "roadmap.docx")  # warm imports and caches
    failed = False
    for filename, data in files.items():
        timings = measure(data, filename, runs)
        median = statistics.median(timings)
        verdict = "OK" if median < TARGET_SECONDS else "SLOW"
        failed |= median >= TARGET_SECONDS
        print(f"{filename}: {len(data) / 1024:.0f} KiB, 40 items, median {median * 1000:.1f} ms "
              f"(min {min(timings) * 1000:.1f}, max {max(timings) * 1000:.1f}, {runs} runs) "
              f"vs target {TARGET_SECONDS * 1000:.0f} ms: {verdict}")
    started = time.perf_counter()
    for _ in range(1000):
        parse_deadline(PHRASES[_ % len(PHRASES)], PERIOD)
    per_phrase = (time.perf_counter() - started) / 1000
    print(f"parse_deadline alone: {per_phrase * 1e6:.0f} µs per phrase")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 7))
