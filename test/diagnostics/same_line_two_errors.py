# Two different errors on one line are both reported.
def ratio(a: int, b: int) -> int:
    r: float = a / b  # expect: E0403, E0402
    return a
