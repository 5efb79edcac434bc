# Unpacking assignments and swaps.
def main() -> tuple[int, int, int]:
    a, b = 1, 2
    print(a, b)
    a, b = b, a
    print(a, b)
    x, y, z = 3, 4, 5
    x, y, z = z, x, y
    print(x, y, z)
    pair = (10, "ten")
    n, name = pair
    print(n, name)
    i = j = 0
    i += 1
    print(i, j)
    lo, hi = 0, 10
    while lo < hi:
        lo, hi = lo + 3, hi - 1
    print(lo, hi)
    return (x, y, z)
