# Prime factorization by trial division into a dict of exponents.
def factorize(n: int) -> dict[int, int]:
    factors: dict[int, int] = {}
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors[d] = factors.get(d, 0) + 1
            n //= d
        d += 1 if d == 2 else 2
    if n > 1:
        factors[n] = factors.get(n, 0) + 1
    return factors


def rebuild(f: dict[int, int]) -> int:
    out = 1
    for p, e in f.items():
        out *= p ** e
    return out


def main() -> dict[int, int]:
    for n in [2, 12, 97, 360, 1001, 2 ** 20, 999999]:
        f = factorize(n)
        print(n, f, rebuild(f) == n)
    return factorize(600851475143)
