# Tuples compare lexicographically and by value.
def main() -> list[bool]:
    print((1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 9), (1, "b") < (2, "a"))
    print((1, 2) == (1, 2), (1, 2) != (2, 1), (0, "a") <= (0, "a"), ("b", 1) > ("a", 99))
    pairs = [(3, "c"), (1, "z"), (3, "a"), (2, "m")]
    print(sorted(pairs), min(pairs), max(pairs))
    return [(1, 2, 3) < (1, 2, 4), ("x",) == ("x",), (True, 1) > (False, 2)]
