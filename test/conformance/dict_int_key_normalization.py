# The same int computed in different ways is the same dict key and list element.
def main() -> list[str]:
    big = 2 ** 60
    d = {2 ** 50: "a", big: "b", 7: "c"}
    print(d[(2 ** 60) // (2 ** 10)], d[big * 2 // 2], d[(big + 7) - big])
    print(2 ** 50 in d, (2 ** 61) // 2 in d, 2 ** 50 + 1 in d)
    d[(3 * big) // 3] = "B"
    print(len(d), d[2 ** 60])
    keys = {(1, 2 ** 70): "t"}
    print(keys[(1, (2 ** 71) // 2)])
    xs = [2 ** 55, 3]
    print((2 ** 56) // 2 in xs, xs.index((2 ** 56) // 2), xs.count(2 ** 55))
    return [d[k] for k in sorted(d)]
