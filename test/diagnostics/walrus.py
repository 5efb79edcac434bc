# The walrus operator.
def first_big(xs: list[int]) -> int:
    n = 0
    if (n := len(xs)) > 3:  # expect: E0418
        return n
    return 0
