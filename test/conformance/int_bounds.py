# Values at the ends of the signed 256-bit range, reached without leaving it.
def main() -> list[int]:
    half = 2 ** 254
    top = half - 1 + half
    bottom = -half - half
    print(top)
    print(bottom)
    print(top + bottom, bottom + 1 == -top)
    print((-2) ** 255 == bottom, (-1) << 255 == bottom)
    print(top // 2 == half - 1, bottom // 2 == -half, bottom % 7, top % 7)
    print(top - top, bottom - bottom, top * 1, bottom * 1, -top)
    return [top, bottom, top >> 254, bottom >> 254, bottom // -2, -(bottom + 1)]
