# reverts: negative shift count
def shl(a: int, n: int) -> int:
    return a << n


def main() -> int:
    print(shl(1, 0))
    return shl(1, -1)
