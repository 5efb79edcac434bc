# Assertions that hold do nothing.
def checked_div(a: int, b: int) -> int:
    assert b != 0, "division by zero"
    return a // b


def main() -> int:
    assert True
    assert 1 + 1 == 2, "math"
    x = checked_div(17, 5)
    assert x == 3
    xs = [1, 2, 3]
    assert xs, "non-empty"
    assert len(xs) == 3 and xs[0] == 1
    print("all assertions passed", x)
    return x
