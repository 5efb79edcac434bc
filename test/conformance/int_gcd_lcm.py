# Euclid's algorithm, iterative and recursive, with negative inputs.
def gcd(a: int, b: int) -> int:
    while b != 0:
        a, b = b, a % b
    return abs(a)


def gcd_rec(a: int, b: int) -> int:
    if b == 0:
        return abs(a)
    return gcd_rec(b, a % b)


def lcm(a: int, b: int) -> int:
    return abs(a * b) // gcd(a, b)


def main() -> list[int]:
    print(gcd(48, 18), gcd(-48, 18), gcd(48, -18), gcd(0, 5), gcd(7, 0))
    print(gcd_rec(1071, 462), gcd_rec(-12, 18), gcd_rec(2 ** 200, 6 ** 50))
    print(lcm(4, 6), lcm(-4, 6), lcm(21, 6))
    return [gcd(2 ** 100, 3 ** 60), gcd(10 ** 40, 4 ** 30), lcm(2 ** 60, 3 ** 30)]
