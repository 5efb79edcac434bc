# Truthiness of Optional values: None is false, and so is a contained zero.
from typing import Optional


def show(x: Optional[int]) -> str:
    if x:
        return "truthy"
    if x is None:
        return "none"
    return "falsy but not none"


def main() -> list[str]:
    a: Optional[int] = None
    b: Optional[int] = 0
    c: Optional[int] = 12
    print(show(a), show(b), show(c))
    s: Optional[str] = ""
    print(bool(s), s is None, not s)
    opts: list[Optional[int]] = [a, b, c, -1]
    return [show(v) for v in opts]
