# Recursive and iterative binary search.
def search(xs: list[int], target: int, lo: int, hi: int) -> int:
    if lo > hi:
        return -1
    mid = (lo + hi) // 2
    if xs[mid] == target:
        return mid
    if xs[mid] < target:
        return search(xs, target, mid + 1, hi)
    return search(xs, target, lo, mid - 1)


def bisect_left(xs: list[int], x: int) -> int:
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) // 2
        if xs[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def main() -> list[int]:
    xs = [x * 3 for x in range(-10, 20)]
    print(search(xs, 27, 0, len(xs) - 1), search(xs, 28, 0, len(xs) - 1))
    print(bisect_left(xs, 28), bisect_left(xs, -100), bisect_left(xs, 1000))
    return [search(xs, t, 0, len(xs) - 1) for t in [-30, 0, 57, 58]]
