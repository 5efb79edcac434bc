# Digit manipulation with divmod, // and %.
def digit_sum(n: int) -> int:
    n = abs(n)
    total = 0
    while n > 0:
        n, d = divmod(n, 10)
        total += d
    return total


def reverse_digits(n: int) -> int:
    sign = -1 if n < 0 else 1
    n = abs(n)
    out = 0
    while n:
        out = out * 10 + n % 10
        n //= 10
    return sign * out


def main() -> list[int]:
    print(digit_sum(12345), digit_sum(-999), digit_sum(0))
    print(reverse_digits(1200), reverse_digits(-345), reverse_digits(7))
    x = 2 ** 200
    print(digit_sum(x), len(str(x)))
    return [digit_sum(10 ** k - 1) for k in range(1, 6)] + [reverse_digits(x) % 1000]
