# Comparisons of large and negative ints.
def main() -> list[bool]:
    half = 2 ** 254
    top = half - 1 + half
    bottom = -half - half
    print(top > bottom, bottom < -top, top == top, bottom != top)
    print(max(top, bottom) == top, min(top, bottom) == bottom)
    xs = [5, top, -3, bottom, 0, half]
    print(sorted(xs)[0] == bottom, sorted(xs)[-1] == top)
    print(sorted(xs)[1:5])
    return [-1 < 0, -(2 ** 200) < -(2 ** 199), 2 ** 128 > 2 ** 64 * 2 ** 63, top >= top, bottom <= bottom + 1]
