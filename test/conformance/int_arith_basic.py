# Basic integer arithmetic with mixed signs.
def main() -> int:
    a = 17
    b = -5
    print(a + b, a - b, b - a, a * b, b * b)
    print(a // 4, a % 4, a ** 2, -a)
    c = a * 3 - b * 2 + 1
    print(c)
    return c * b
