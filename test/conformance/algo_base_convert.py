# Converting ints to and from arbitrary bases with divmod.
def to_base(n: int, base: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    sign = ""
    if n < 0:
        sign = "-"
        n = -n
    out: list[str] = []
    while n > 0:
        n, r = divmod(n, base)
        out.append(digits[r])
    out.reverse()
    return sign + "".join(out)


def from_base(s: str, base: int) -> int:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    n = 0
    for c in list(s.lower()):
        n = n * base + digits.index(c)
    return n


def main() -> list[str]:
    print(to_base(255, 16) == hex(255)[2:], to_base(-5, 2) == bin(-5).replace("0b", ""))
    print(to_base(2 ** 200, 36), from_base(to_base(2 ** 200, 36), 36) == 2 ** 200)
    print(from_base("ff", 16), from_base("zz", 36), from_base("777", 8) == int("511"))
    return [to_base(n, b) for n, b in [(0, 2), (10, 2), (-255, 16), (123456789, 36)]]
