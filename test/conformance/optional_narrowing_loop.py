# Tracking an Optional best value through a loop.
from typing import Optional


def best_even(xs: list[int]) -> Optional[int]:
    best: Optional[int] = None
    for x in xs:
        if x % 2 != 0:
            continue
        if best is None or x > best:
            best = x
    return best


def main() -> list[Optional[int]]:
    print(best_even([3, 8, 2, 10, 7]), best_even([1, 3]), best_even([-4, -2]))
    out: list[Optional[int]] = []
    for xs in [[1], [2], [5, 6, 4]]:
        out.append(best_even(xs))
    return out
