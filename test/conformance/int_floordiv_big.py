# // and % on values near the ends of the range.
def main() -> list[int]:
    half = 2 ** 254
    top = half - 1 + half
    bottom = -half - half
    print(top // 3, top % 3)
    print(bottom // 3, bottom % 3)
    print(bottom // -3, bottom % -3)
    print(top // -7, top % -7, top // top, bottom // bottom, bottom // top)
    print(-1 // top, 1 // bottom, top % bottom, bottom % top)
    q, r = divmod(bottom, 10 ** 30)
    print(q, r)
    return [bottom // 2, bottom % 2, top // (2 ** 128), bottom // (2 ** 128), -top // 2]
