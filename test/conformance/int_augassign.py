# Augmented assignment with every integer operator.
def main() -> int:
    x = 100
    x += 7
    x -= 200
    print(x)
    x *= -3
    x //= 7
    print(x)
    x %= 11
    x **= 3
    print(x)
    x <<= 4
    x >>= 2
    x |= 1
    x &= 0xFFF
    x ^= 0x0F0
    print(x)
    y = -1
    y >>= 3
    y <<= 2
    return x * y
