# Comprehensions with tuple targets over enumerate, zip, items and lists of pairs.
def main() -> dict[str, int]:
    xs = [5, 6, 7]
    print([i * x for i, x in enumerate(xs)])
    keys = ["a", "b", "c"]
    d = {k: v for k, v in zip(keys, xs)}
    print(d)
    print({v: k for k, v in d.items() if v != 6})
    pairs = [(1, "one"), (2, "two")]
    print([f"{n}:{name}" for n, name in pairs], sum(n for n, _ in pairs))
    print([[j for j in range(i)] for i in range(4)])
    print(sum(v for k, v in d.items() if k != "b"), any(v > 6 for _, v in d.items()))
    return {k * 2: v + 1 for k, v in d.items()}
