# Products close to the range limit.
def main() -> list[int]:
    a = 2 ** 127 - 1
    b = 2 ** 127 + 1
    print(a * b == 2 ** 254 - 1)
    c = 2 ** 128
    d = -(2 ** 127)
    print(c * d)
    print(c * d == -(2 ** 254) * 2)
    e = 340282366920938463463374607431768211455
    print(e * (e // 2))
    f = 12345678901234567890123456789
    g = -98765432109876543210987654321
    return [a * b, f * g, g * g, -f * -f, c * (2 ** 126)]
