"""Resource limits of one template render: time, loop iterations, `range` items, string and
output size. The sandbox (env.py) consults the active budget at every call, attribute,
operator, loop step and output; a breach is a SecurityError naming the rule, which the
upload turns into ``template_unsafe``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from jinja2.sandbox import SecurityError

MAX_SECONDS = 1.5
MAX_TEXT = 1_000_000          # characters any one string may grow to
MAX_OUTPUT = 5_000_000        # characters one render may print in total
MAX_LOOP_STEPS = 200_000      # iterations of all loops of one render
MAX_RANGE_ITEMS = 20_000      # items all range() calls of one render may produce
MAX_LOOP_NESTING = 4

RULES = {
    "time_limit": f"заполнение шаблона дольше {MAX_SECONDS} с",
    "text_size": f"строка длиннее {MAX_TEXT} символов",
    "output_size": f"документ длиннее {MAX_OUTPUT} символов",
    "loop_iterations": f"больше {MAX_LOOP_STEPS} шагов циклов",
    "range_limit": f"range() даёт больше {MAX_RANGE_ITEMS} чисел за документ",
    "string_padding": f"выравнивание/дополнение строки шире {MAX_TEXT} символов",
}


def breach(rule: str) -> SecurityError:
    return SecurityError(f"правило {rule}: {RULES[rule]}")


@dataclass
class Budget:
    deadline: float
    loop_steps: int = MAX_LOOP_STEPS
    range_items: int = MAX_RANGE_ITEMS
    output: int = MAX_OUTPUT
    extra: dict = field(default_factory=dict)


_active: ContextVar[Budget | None] = ContextVar("template_budget", default=None)


@contextmanager
def budget(seconds: float = MAX_SECONDS) -> Iterator[Budget]:
    """Limits for the renders inside the block (one document)."""
    token = _active.set(Budget(deadline=time.monotonic() + seconds))
    try:
        yield _active.get()
    finally:
        _active.reset(token)


def _current() -> Budget:
    b = _active.get()
    if b is None:  # outside budget() (parsing, tests): per-call limits only
        return Budget(deadline=float("inf"))
    return b


def tick() -> Budget:
    b = _current()
    if time.monotonic() > b.deadline:
        raise breach("time_limit")
    return b


def spend_range(count: int) -> None:
    b = tick()
    b.range_items -= max(count, 0)
    if b.range_items < 0:
        raise breach("range_limit")


def check_text(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise breach("text_size")
    return value


def spend_output(value: object) -> object:
    b = tick()
    if isinstance(value, str):
        check_text(value)
        b.output -= len(value)
        if b.output < 0:
            raise breach("output_size")
    return value


def bounded_iter(iterable: Iterable) -> Iterator:
    """Every loop of a template iterates through here."""
    for item in iterable:
        b = tick()
        b.loop_steps -= 1
        if b.loop_steps < 0:
            raise breach("loop_iterations")
        yield item


def check_width(width: object) -> None:
    if isinstance(width, int) and width > MAX_TEXT:
        raise breach("string_padding")
