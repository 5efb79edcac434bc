# Integer square root by Newton's method on large values.
def isqrt(n: int) -> int:
    if n < 2:
        return n
    x = n // 2 + 1
    y = (x + n // x) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


def main() -> list[int]:
    for n in [0, 1, 2, 3, 4, 15, 16, 17, 99, 100, 10 ** 30]:
        r = isqrt(n)
        assert r * r <= n < (r + 1) * (r + 1)
        print(n, r)
    big = 2 ** 254
    r = isqrt(big)
    print(r == 2 ** 127)
    top = big - 1 + big
    return [isqrt(top), isqrt(big - 1), isqrt(12345678987654321)]
