# str() and bool() conversions between types.
from typing import Optional


def main() -> list[str]:
    nothing: Optional[int] = None
    print(str(b"x\x00"), str(nothing), str(True), str((1,)), str(-0))
    print(bool("False"), bool(""), bool(str(0)), int(str(-45)) + 1)
    n = 255
    print(str(n) + hex(n) + bin(n)[2:] + oct(n)[2:])
    print(int(str(n) + "0"), str(n).zfill(6), len(str(2 ** 100)))
    return [str(x) for x in [1, -2]] + [str(b) for b in [True, False]]
