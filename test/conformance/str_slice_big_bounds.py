# Slice bounds and steps far beyond the length, including values outside 64 bits.
def main() -> list[str]:
    s = "abcdef"
    huge = 2 ** 100
    print(s[-huge:huge], s[huge:], s[:-huge] == "", s[::huge], s[::-huge], s[2:huge:2])
    xs = [1, 2, 3, 4]
    print(xs[-huge:2], xs[::huge], xs[::-huge], xs[huge:-huge:-1])
    b = b"\x00\x01\x02"
    print(b[-huge:], b[::-huge], b[1:huge])
    return [s[-2 ** 200:], s[3:2 ** 64], s[2 ** 63:], "😀é"[::-(2 ** 70)]]
