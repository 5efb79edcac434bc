# Slices with positive and negative steps.
def main() -> list[str]:
    s = "0123456789"
    print(s[::2], s[1::2], s[::3], s[2:8:2])
    print(s[::-1], s[::-2], s[8:2:-1], s[8:2:-3])
    print(s[:2:-1], s[3::-1], s[-2::-2], s[-1:-4:-1])
    print(s[2:8:-1] == "", s[100::-4], s[:-100:-1])
    step = -3
    return [s[::step], s[5::step], s[1:9:step], "héllo wörld"[::-1]]
