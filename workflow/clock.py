"""The product's clock, for the process layer: the one implementation lives in
``documents.clock`` (the lowest layer, so models' defaults use it too)."""

from documents.clock import (
    ZONE,
    day_end,
    day_start,
    local,
    local_date,
    now,
    set_offset,
    shifted,
    today,
)

__all__ = ["ZONE", "day_end", "day_start", "local", "local_date", "now", "set_offset", "shifted",
           "today"]
