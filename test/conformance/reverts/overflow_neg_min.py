# reverts: integer overflow
# Negating the smallest int gives 2**255.
def neg(a: int) -> int:
    return -a


def main() -> int:
    bottom = -(2 ** 254) * 2
    print(neg(bottom + 1))
    return neg(bottom)
