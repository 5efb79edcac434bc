# Bit tricks: popcount, lowest set bit, power-of-two checks.
def popcount(n: int) -> int:
    count = 0
    while n:
        n &= n - 1
        count += 1
    return count


def bit_length(n: int) -> int:
    n = abs(n)
    length = 0
    while n:
        n >>= 1
        length += 1
    return length


def main() -> list[int]:
    print(popcount(0), popcount(255), popcount(2 ** 200 - 1), popcount(2 ** 254))
    print([x & -x for x in [12, 8, 7, 96]])
    print([x > 0 and x & (x - 1) == 0 for x in [1, 2, 3, 64, 96, 0]])
    return [bit_length(x) for x in [0, 1, 255, 256, -256, 2 ** 254]]
