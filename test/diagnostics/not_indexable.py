# Indexing values that have no items.
def first_digit(n: int, ok: bool) -> int:
    d = n[0]  # expect: E0305
    e = ok[1]  # expect: E0305
    return d + e
