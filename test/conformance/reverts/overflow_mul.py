# reverts: integer overflow
# A product of two 129-bit numbers.
def mul(a: int, b: int) -> int:
    return a * b


def main() -> int:
    x = 2 ** 128
    print(mul(x, 2 ** 126))
    return mul(x, x)
