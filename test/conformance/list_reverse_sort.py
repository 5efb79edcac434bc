# reverse, sort and sort(reverse=True) in place.
def main() -> list[list[int]]:
    xs = [5, -2, 9, 0, -2, 7]
    xs.reverse()
    print(xs)
    xs.sort()
    print(xs)
    xs.sort(reverse=True)
    print(xs)
    words = ["pear", "Apple", "fig", "apple"]
    words.sort()
    print(words)
    words.sort(reverse=True)
    print(words)
    pairs = [(2, "b"), (1, "z"), (2, "a"), (1, "a")]
    pairs.sort()
    print(pairs)
    e: list[int] = []
    e.sort()
    e.reverse()
    return [xs, e]
