# == and != between Optional values, and with plain values.
from typing import Optional


def pick(flag: bool) -> Optional[str]:
    return "x" if flag else None


def main() -> list[bool]:
    a = pick(True)
    b = pick(False)
    print(a == "x", b == "x", a != "x", b != "x", a is None, b is None, a != b)
    print(pick(True) == pick(True), pick(False) == pick(False), pick(True) == pick(False))
    return [a is not None, b is not None]
