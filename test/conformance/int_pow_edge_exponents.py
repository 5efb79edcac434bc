# Exponents and shift counts far beyond 256 where the result still fits.
def main() -> list[int]:
    huge = 2 ** 200
    print((-1) ** huge, (-1) ** (huge + 1), 1 ** (2 ** 250), 0 ** huge, 0 ** 0)
    print(0 << huge, 1 >> huge, -1 >> huge, (2 ** 254) >> huge, -(2 ** 254) >> huge)
    print(pow(3, huge + 1, 1000000007), pow(-2, huge, 1000003), pow(7, huge, 1))
    return [pow(5, 2 ** 100, 2 ** 61 - 1), pow(2, 254, 2 ** 254 - 1 + 2 ** 254), (-1) ** 0]
