# Containers hold references: a list inside a tuple, dict or list is shared, not copied.
def main() -> list[list[int]]:
    a = [1]
    t = (a, 1)
    a.append(2)
    print(t)
    d = {"r": a}
    d["r"].append(3)
    print(a, d)
    outer: list[list[int]] = []
    outer.append(a)
    outer.append(a)
    a.append(4)
    print(outer, outer[0] == outer[1])
    rows = [a for _ in range(2)]
    rows[0].append(5)
    print(rows[1], len(a))
    fallback: list[int] = []
    got = d.get("missing", fallback)
    got.append(9)
    print(fallback)
    both = [a] + [a]
    both[1].append(6)
    return [a, t[0], both[0]]
