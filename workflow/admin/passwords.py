"""Password strength: long enough, not a common password (``common_passwords.txt``, shipped
with the package), not the e-mail or the name, not one repeated character or a keyboard run."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from workflow.errors import BadInput

MIN_LENGTH = 10
_LIST = Path(__file__).with_name("common_passwords.txt")
_RUNS = ("0123456789", "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "йцукенгшщзхъ",
         "фывапролджэ", "ячсмитьбю", "abcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def _weak(low: str) -> bool:
    if low in common_passwords() or len(set(low)) <= 3:
        return True
    if any(low in run or low in run[::-1] for run in _RUNS):
        return True
    # A common word with a year or digits appended: «password2026», «qwerty123456».
    stem = low.rstrip("0123456789!.?_-")
    return len(stem) >= 4 and stem in common_passwords()


def check_strength(password: str, *, email: str = "", full_name: str = "") -> None:
    """Raise BadInput (code ``weak_password``) with a Russian reason when the password is weak."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise BadInput("Пароль должен быть не короче %(n)s символов.",
                       code="weak_password", params={"n": MIN_LENGTH})
    if len(password) > 200:
        raise BadInput("Пароль длиннее 200 символов.", code="weak_password")
    low = password.lower()
    if _weak(low):
        raise BadInput("Этот пароль слишком распространён или предсказуем; выберите другой.",
                       code="weak_password")
    local = (email or "").split("@")[0].lower()
    parts = [p.lower() for p in (full_name or "").split() if len(p) >= 4]
    if (len(local) >= 4 and local in low) or any(p in low for p in parts):
        raise BadInput("Пароль не должен содержать ваш e-mail или имя.", code="weak_password")
