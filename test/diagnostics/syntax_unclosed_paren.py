# An opening parenthesis that is never closed: reported where it opens.
def average_floor(a: int, b: int) -> int:
    total = (a + b  # expect: E0011
    return total // 2
