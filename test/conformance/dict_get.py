# get with and without a default.
from typing import Optional


def main() -> list[int]:
    d = {"a": 1, "b": 0}
    print(d.get("a"), d.get("z"), d.get("b"), d.get("z", 42), d.get("a", 42))
    v: Optional[int] = d.get("missing")
    print(v is None, v)
    w = d.get("b")
    if w is not None:
        print("b present:", w)
    words = ["x", "y", "x", "z", "x"]
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    print(counts)
    return [counts.get(k, -1) for k in ["x", "y", "q"]]
