"""Keep post-login redirects on our own host."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: no scheme, no host, no `//` or `/\\` tricks, no control chars."""
    if not target or not isinstance(target, str):
        return default
    target = target.strip()
    if any(ord(c) < 32 for c in target) or "\\" in target:
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
