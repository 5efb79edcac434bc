# Syntax errors in two functions: both are reported.
def first(x: int) -> int  # expect: E0011
    return x


def second(y: int) -> int:
    return y $ 2  # expect: E0001
