# Shifts: arithmetic right shift of negatives rounds down.
def main() -> list[int]:
    print(1 << 10, 5 << 3, -5 << 3)
    print(-7 >> 1, -1 >> 100, 7 >> 1, -8 >> 2, -9 >> 2)
    print(5 >> 1000, -5 >> 1000, 0 << 1000)
    k = 254
    print(1 << k, (-1) << 255)
    return [x >> 1 for x in [-3, -2, -1, 0, 1, 2, 3]]
