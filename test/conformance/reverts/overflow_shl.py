# reverts: integer overflow
# 1 << 255 does not fit (while -1 << 255 does).
def shl(a: int, n: int) -> int:
    return a << n


def main() -> int:
    print(shl(-1, 255))
    return shl(1, 255)
