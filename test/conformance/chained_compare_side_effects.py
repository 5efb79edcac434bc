# Each operand of a chained comparison is evaluated at most once, left to right.
def v(name: str, x: int) -> int:
    print("eval", name)
    return x


def main() -> list[bool]:
    r1 = v("a", 1) < v("b", 2) < v("c", 3)
    r2 = v("d", 3) < v("e", 2) < v("f", 1)
    r3 = v("g", 1) == v("h", 1) != v("i", 2)
    r4 = 0 <= v("j", 5) < 10
    return [r1, r2, r3, r4]
