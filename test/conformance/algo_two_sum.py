# Two-sum with a dict of seen values.
def two_sum(xs: list[int], target: int) -> tuple[int, int]:
    seen: dict[int, int] = {}
    for i, x in enumerate(xs):
        need = target - x
        if need in seen:
            return (seen[need], i)
        seen[x] = i
    return (-1, -1)


def main() -> list[tuple[int, int]]:
    xs = [2, 7, 11, 15, -3, 4]
    print(two_sum(xs, 9), two_sum(xs, 1), two_sum(xs, 100))
    return [two_sum(xs, t) for t in [18, 26, 8, -1]]
