# Values around 2**31, 2**32 and 2**53, where a VM keeping small ints as machine or
# floating-point numbers must switch representation without losing a bit.
def main() -> list[int]:
    a = 2 ** 53
    print(a + 1, a + 2, a - 1, -a - 1, (a + 1) * 3, (a + 1) // 3, (a + 1) % 7)
    print(a * a, 94906267 * 94906267, 3037000499 * 3037000499, -3037000500 * 3037000500)
    b = 2 ** 31
    print(1 << 31, 1 << 32, -1 << 31, b - 1 + b, (1 << 53) + 1 - (1 << 53))
    print(b | 1, (2 ** 32 + 5) & 0xFFFFFFFF, (2 ** 32) ^ 1, ~(2 ** 31), ~(2 ** 53), -(2 ** 53) >> 1)
    print(4294967296 >> 1, 4294967297 >> 32, (2 ** 40) & (2 ** 40 + 7), 123456789 << 20)
    print(abs(-(2 ** 53) - 1), max(a, a + 1), min(-a, -a - 1), sum([a, a, 1]))
    print(9007199254740993 == a + 1, str(a + 1), hex(a + 1), int("9007199254740993") - a)
    return [a + 1, 2 ** 64 + 1, (2 ** 64 + 1) % (2 ** 32), -(2 ** 63) - 1, 10 ** 16 + 1]
