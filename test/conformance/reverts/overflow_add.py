# reverts: integer overflow
# The largest int plus one.
def add(a: int, b: int) -> int:
    return a + b


def main() -> int:
    half = 2 ** 254
    top = add(half - 1, half)
    print(top)
    return add(top, 1)
