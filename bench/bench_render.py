"""Benchmark: render_docx against raw docxtpl on the same template and context.

Run: .venv/bin/python bench/bench_render.py [--repeat N]
Target (docs/quality.md): ratio ≤ 1.3×; a pair order of 500 pairs under 0.5 s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment

from documents.docx.context import build_context
from documents.docx.render import builtin_template, render_docx
from documents.docx.samples import PAIRS, sample_snapshot


def raw_docxtpl(template: bytes, context: dict) -> bytes:
    """The floor: what docxtpl costs with a sandbox and nothing else."""
    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(context, ImmutableSandboxedEnvironment(autoescape=True))
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` runs after one warm-up, in seconds."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def pair_snapshot(count: int) -> dict:
    snapshot = sample_snapshot("pair_order")
    snapshot["pairs"] = [
        {**PAIRS[i % len(PAIRS)], "mentor_name": f"Наставникова{i} Анна Ивановна"}
        for i in range(count)
    ]
    return snapshot


def case(label: str, kind: str, snapshot: dict, repeat: int) -> float:
    template = builtin_template(kind)
    context = build_context(snapshot)
    raw = timed(lambda: raw_docxtpl(template, context), repeat)
    ours = timed(lambda: render_docx(kind, context), repeat)
    ratio = ours / raw
    print(
        f"{label:<28} raw docxtpl {raw * 1000:8.1f} ms   render_docx {ours * 1000:8.1f} ms"
        f"   ratio {ratio:4.2f}x"
    )
    return ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    case("order (one page)", "order", sample_snapshot("order"), args.repeat)
    big = case("pair_order, 500 pairs", "pair_order", pair_snapshot(500), max(3, args.repeat // 3))
    print(f"500-pair order: {big:.3f} s ({'OK' if big < 0.5 else 'OVER'} the 0.5 s target)")


if __name__ == "__main__":
    main()
