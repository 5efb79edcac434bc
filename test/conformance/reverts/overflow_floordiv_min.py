# reverts: integer overflow
# The smallest int divided by -1.
def div(a: int, b: int) -> int:
    return a // b


def main() -> int:
    bottom = -(2 ** 254) * 2
    print(div(bottom, 1) == bottom, div(bottom, -2))
    return div(bottom, -1)
