# Slicing lists returns new lists.
def main() -> list[list[int]]:
    xs = list(range(10))
    print(xs[2:5], xs[:3], xs[7:], xs[-3:], xs[:-7], xs[::3])
    print(xs[::-1], xs[8:2:-2], xs[-1:-4:-1], xs[100:], xs[3:1])
    part = xs[1:4]
    part[0] = 100
    print(xs[1], part)
    return [xs[5:6], xs[:0], xs[1::4], xs[::-4]]
