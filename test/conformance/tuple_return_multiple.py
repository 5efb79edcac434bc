# Functions returning several values as a tuple.
def min_max(xs: list[int]) -> tuple[int, int]:
    lo = xs[0]
    hi = xs[0]
    for x in xs:
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    return lo, hi


def split_name(full: str) -> tuple[str, str]:
    parts = full.split(" ", 1)
    return (parts[0], parts[1] if len(parts) > 1 else "")


def main() -> tuple[int, int]:
    lo, hi = min_max([4, -2, 9, 0])
    print(lo, hi)
    first, last = split_name("Ada Lovelace")
    print(first, last)
    print(split_name("Plato"))
    result = min_max([7])
    print(result, result[0] + result[1])
    return min_max([3, 3, -3])
