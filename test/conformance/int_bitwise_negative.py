# & | ^ on negative numbers behave as on infinite two's complement.
def main() -> list[int]:
    print(-6 & 0xFF, -1 ^ 5, -8 | 3, -8 & -3, -8 ^ -3)
    print(12 & 10, 12 | 10, 12 ^ 10)
    mask = (1 << 128) - 1
    x = -(1 << 200) + 12345
    print(x & mask)
    print(x | mask)
    return [-1 & 0, -1 | 0, 0 ^ -1, -256 & 255, -257 & 255]
