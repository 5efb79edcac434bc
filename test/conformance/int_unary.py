# Unary minus, plus and not on ints.
def neg(x: int) -> int:
    return -x


def main() -> list[int]:
    a = 7
    print(-a, +a, -(-a), --a, -+a)
    print(not a, not 0, not -1)
    print(neg(neg(a)), neg(0), -neg(-3))
    b = -a
    return [b, -b, +b, -(b - 1), -b * -b]
