# Tuple assignment evaluates the right side first, then assigns targets left to right.
def main() -> list[int]:
    xs = [0, 0, 0]
    i = 0
    i, xs[i] = 2, 5
    print(i, xs)
    a = [1, 2, 3]
    j = 0
    a[j], j = 9, 1
    print(a, j)
    x, y = 1, 2
    x, y = y, x + y
    print(x, y)
    m = [10, 20]
    m[0], m[1] = m[1], m[0]
    return xs + a + m
