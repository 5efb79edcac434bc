# Nested tuples: indexing, comparison and unpacking.
def main() -> tuple[tuple[int, int], str]:
    t = ((1, 2), "pt")
    print(t[0], t[0][1], t[1], len(t[0]))
    (a, b), label = t
    print(a, b, label)
    points = [((0, 0), "o"), ((1, 2), "p")]
    for (px, py), name in points:
        print(name, px + py)
    print(((1, 2), "a") < ((1, 3), "a"), ((1, 2), "b") > ((1, 2), "a"))
    return ((b, a), label + "!")
