# Recursion about 200 frames deep (the TVM allows 256).
def sum_to(n: int) -> int:
    if n == 0:
        return 0
    return n + sum_to(n - 1)


def depth(xs: list[int], i: int) -> int:
    if i == len(xs):
        return 0
    return 1 + depth(xs, i + 1)


def main() -> list[int]:
    print(sum_to(10), sum_to(100))
    return [sum_to(200), depth(list(range(200)), 0)]
