# A function header without its colon.
def total(xs: list[int]) -> int  # expect: E0011
    s = 0
    for x in xs:
        s += x
    return s
