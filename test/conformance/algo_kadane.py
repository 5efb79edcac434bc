# Maximum subarray sum (Kadane) returning the bounds too.
def max_subarray(xs: list[int]) -> tuple[int, int, int]:
    best = xs[0]
    best_lo = 0
    best_hi = 0
    cur = 0
    lo = 0
    for i, x in enumerate(xs):
        if cur <= 0:
            cur = x
            lo = i
        else:
            cur += x
        if cur > best:
            best = cur
            best_lo = lo
            best_hi = i
    return (best, best_lo, best_hi)


def main() -> list[tuple[int, int, int]]:
    print(max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4]))
    return [max_subarray([-3, -1, -2]), max_subarray([5]), max_subarray([1, 2, 3])]
