# A plain module mixing several unsupported constructs.
counter = 0  # expect: E0420


def process(xs: list[int]) -> int:
    global counter  # expect: E0411
    double = lambda x: x * 2  # expect: E0412
    seen = {0}  # expect: E0416
    total = 0
    n = 0
    try:  # expect: E0410
        total = sum(xs)
    except Exception:
        total = 0
    if (n := len(xs)) > 2:  # expect: E0418
        return n
    return total
