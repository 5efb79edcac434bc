# The ways an Optional is narrowed to its value: early return, else branches, `and`,
# conditional expressions and a loop that breaks on None.
from typing import Optional


def first_even(xs: list[int]) -> Optional[int]:
    for x in xs:
        if x % 2 == 0:
            return x
    return None


def describe(v: Optional[int]) -> str:
    if v is None:
        return "none"
    return str(v * 2)


def main() -> list[int]:
    a = first_even([1, 4, 6])
    b = first_even([1, 3])
    print(describe(a), describe(b))
    if a is not None and a > 3:
        print("big even", a + 1)
    if b is None:
        print("no even")
    else:
        print("even", b - 1)
    c = a + 100 if a is not None else -1
    d = b + 100 if b is not None else -1
    cur: Optional[int] = 10
    steps = 0
    while True:
        if cur is None:
            break
        steps += cur
        cur = cur - 3 if cur > 3 else None
    print(c, d, steps)
    return [c, d, steps]
