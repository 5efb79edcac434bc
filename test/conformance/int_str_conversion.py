# str() of ints, and round trips through int().
def main() -> list[str]:
    top = 2 ** 254 - 1 + 2 ** 254
    bottom = -top - 1
    s = str(top)
    print(len(s), s[:5], s[-5:])
    print(str(bottom)[0], len(str(bottom)))
    print(int(str(bottom)) == bottom, int(s) == top)
    print(str(-0), str(10 ** 20), str(-7) + str(7))
    return [str(n) for n in [0, -1, 255, -1000000]]
