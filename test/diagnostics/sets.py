# Sets: use dict[K, bool] instead.
def unique(xs: list[int]) -> int:
    seen = {1, 2, 3}  # expect: E0416
    empty = set()  # expect: E0416
    evens = {x for x in xs if x % 2 == 0}  # expect: E0416
    return len(xs)


def members(s: set[int]) -> int:  # expect: E0416
    return 0
