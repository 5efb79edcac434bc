# Functions returning Optional values.
from typing import Optional


def find(xs: list[int], target: int) -> Optional[int]:
    for i in range(len(xs)):
        if xs[i] == target:
            return i
    return None


def first_word(s: str) -> str | None:
    words = s.split()
    if words:
        return words[0]
    return None


def main() -> list[Optional[int]]:
    xs = [4, 8, 15, 16]
    print(find(xs, 15), find(xs, 23))
    print(first_word("  hello world "), first_word("   "))
    idx = find(xs, 16)
    if idx is not None:
        print("found at", idx, xs[idx])
    return [find(xs, t) for t in [4, 5, 16]]
