# sorted and reversed return new lists and leave the argument alone.
def main() -> list[list[int]]:
    xs = [3, -1, 2, -1, 0]
    s = sorted(xs)
    r = sorted(xs, reverse=True)
    print(xs, s, r)
    rev = list(reversed(xs))
    print(rev, xs)
    for x in reversed(s):
        print(x)
    words = sorted(["kiwi", "Banana", "apple"])
    print(words, sorted(words, reverse=True))
    return [s, r, rev, sorted(list(range(5)), reverse=True)]
