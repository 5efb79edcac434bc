# Optional containers: narrowing, mutation through the narrowed name, and reassignment.
from typing import Optional


def grow(xs: Optional[list[int]]) -> int:
    if xs is None:
        return -1
    xs.append(len(xs))
    return len(xs)


def main() -> list[int]:
    box: Optional[list[int]] = None
    print(grow(box), box)
    box = [7]
    print(grow(box), grow(box), box)
    names: Optional[dict[str, int]] = {"a": 1}
    if names is not None:
        names["b"] = 2
    print(names)
    if box is not None:
        return box
    return []
