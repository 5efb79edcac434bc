# pow with a modulus: exact even when the intermediate products exceed 256 bits.
def main() -> list[int]:
    print(pow(3, 200, 1000007))
    print(pow(-3, 3, 7), pow(3, 5, -7), pow(-3, 3, -7))
    print(pow(10, 0, 1), pow(0, 0, 5), pow(7, 0, 13))
    big = 2 ** 250 + 3
    m = 2 ** 252 - 5
    r = pow(big, 1000, m)
    print(r < m, r >= 0)
    return [pow(2, 10), pow(-2, 5), r % 1000000, pow(big, 2, 2 ** 200)]
