# A for loop over a number (range(10) was meant).
def total(n: int) -> int:
    s = 0
    for i in n:  # expect: E0306
        s += i
    return s
