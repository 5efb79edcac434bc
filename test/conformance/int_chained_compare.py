# Chained comparisons.
def main() -> list[bool]:
    x = 5
    print(1 < x <= 10, 0 <= x < 5, x == 5 == 5, 1 < 2 > 0)
    print(1 < 2 < 3 < 4, 1 < 3 < 2 < 4, 3 > 2 >= 2 > 1)
    a = 4
    b = 4
    c = 7
    print(a == b < c, a < b < c, a != c != b)
    return [0 < x < 10, x < 0 < 10, -10 < -x < 0, x >= 5 >= x]
