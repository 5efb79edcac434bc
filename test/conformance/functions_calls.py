# Helpers calling helpers, early returns and procedures that mutate arguments.
def square(x: int) -> int:
    return x * x


def sum_squares(xs: list[int]) -> int:
    total = 0
    for x in xs:
        total += square(x)
    return total


def clamp(x: int, lo: int, hi: int) -> int:
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


def fill(xs: list[int], n: int, value: int) -> None:
    for _ in range(n):
        xs.append(value)


def main() -> list[int]:
    xs: list[int] = []
    fill(xs, 3, 4)
    fill(xs, 2, -1)
    print(xs, sum_squares(xs))
    print([clamp(v, -2, 2) for v in [-5, -2, 0, 3]])
    return [square(clamp(v, 0, 10)) for v in [-3, 4, 50]]
