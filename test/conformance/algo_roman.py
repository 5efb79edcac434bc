# Integer to Roman numerals and back.
def to_roman(n: int) -> str:
    values = [1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1]
    symbols = ["M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"]
    out = ""
    for v, s in zip(values, symbols):
        while n >= v:
            out += s
            n -= v
    return out


def from_roman(s: str) -> int:
    table = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i in range(len(s)):
        v = table[s[i]]
        if i + 1 < len(s) and table[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total


def main() -> list[str]:
    nums = [1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999]
    romans = [to_roman(n) for n in nums]
    print(romans)
    print([from_roman(r) for r in romans] == nums)
    return romans
