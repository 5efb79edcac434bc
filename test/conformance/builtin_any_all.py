# any and all use truthiness and stop at the first decisive element.
def main() -> list[bool]:
    xs = [0, 3, 0]
    empty: list[int] = []
    print(any(xs), all(xs), any(empty), all(empty))
    print(any(["", "x"]), all(["", "x"]), all(["a", "b"]))
    print(any(x > 2 for x in xs), all(x >= 0 for x in xs), any(x < 0 for x in xs))
    nested = [[1], []]
    print(all(nested), any(nested))
    return [all([True, True]), any([False, False]), all(x % 2 == 1 for x in [1, 3, 5]), any(len(w) > 3 for w in ["ab", "abcd"])]
