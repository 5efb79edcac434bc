# Slicing strings with omitted, negative and out-of-range bounds.
def main() -> list[str]:
    s = "abcdefgh"
    print(s[2:5], s[:3], s[5:], s[:], s[-3:], s[:-3], s[-5:-2])
    print(s[2:100], s[-100:2], s[6:2], s[100:], s[3:3] == "")
    lo = 1
    hi = -1
    print(s[lo:hi], s[lo:], s[:hi])
    return [s[0:1], s[7:8], s[-1:], s[8:9]]
