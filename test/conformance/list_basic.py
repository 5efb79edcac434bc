# List literals, indexing, len, assignment to elements.
def main() -> list[int]:
    xs = [3, 1, 4, 1, 5]
    print(xs, len(xs), xs[0], xs[-1], xs[-5])
    xs[1] = 10
    xs[-1] = -5
    print(xs)
    empty: list[int] = []
    print(empty, len(empty))
    words = ["a", "bb", "ccc"]
    print(words[len(words) - 1], len(words[2]))
    return xs
