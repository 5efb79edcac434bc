# Extended Euclid returning a tuple, and modular inverses checked against pow.
def egcd(a: int, b: int) -> tuple[int, int, int]:
    if b == 0:
        return (a, 1, 0)
    g, x, y = egcd(b, a % b)
    return (g, y, x - (a // b) * y)


def inverse(a: int, m: int) -> int:
    g, x, _ = egcd(a % m, m)
    assert g == 1, "not invertible"
    return x % m


def main() -> list[int]:
    print(egcd(240, 46), egcd(17, 5), egcd(-12, 18))
    p = 2 ** 127 - 1
    inv = inverse(12345, p)
    print(inv * 12345 % p, pow(12345, p - 2, p) == inv)
    return [inverse(a, 97) for a in [1, 2, 3, 50, 96]]
