# Only the selected branch of a conditional expression is evaluated.
def val(name: str, x: int) -> int:
    print("eval", name)
    return x


def main() -> int:
    a = val("yes", 1) if val("cond1", 1) > 0 else val("no", 2)
    b = val("yes", 1) if val("cond2", 0) > 0 else val("no", 2)
    c = (val("inner-yes", 3) if a == 1 else val("inner-no", 4)) if b == 2 else val("outer-no", 5)
    print(a, b, c)
    return a + b + c
