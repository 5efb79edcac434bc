# Precedence of not, and, or, comparisons and unary minus.
def main() -> list[bool]:
    a = True
    b = False
    x = 3
    xs = [1, 2, 3]
    print(not 1 == 2, not x in xs, x not in xs, not a and b, not (a and b))
    print(a or b and b, (a or b) and b, not a or not b, -x ** 2 == -9, not -x < 0)
    print(a and x > 2 or b, not not x, x > 2 == 2)
    return [not b == a, b == (not a), not x - 3, a != b != a]
