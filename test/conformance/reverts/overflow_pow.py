# reverts: integer overflow
# 2 ** 255 is one past the largest int.
def power(base: int, exp: int) -> int:
    return base ** exp


def main() -> int:
    print("2**254 fits:", power(2, 254) > 0)
    return power(2, 255)
