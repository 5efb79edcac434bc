# reverts: integer overflow
# -(2**255) - 1 is below the smallest int.
def sub(a: int, b: int) -> int:
    return a - b


def main() -> int:
    half = 2 ** 254
    bottom = sub(-half, half)
    print(bottom)
    return sub(bottom, 1)
