# A closing bracket with nothing to close.
def scale(x: int) -> int:
    y = x * 2)  # expect: E0010
    return y
