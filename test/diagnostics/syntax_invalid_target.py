# The left side of = must be something that can be assigned.
def update(x: int, y: int) -> int:
    x + 1 = y  # expect: E0012
    return x
