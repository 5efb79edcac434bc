# abs, min and max on ints.
def main() -> list[int]:
    print(abs(-5), abs(5), abs(0), abs(-(2 ** 254)))
    print(min(3, -4), max(3, -4), min(-1, -1))
    xs = [5, -2, 17, 0, -30, 17]
    print(min(xs), max(xs))
    low = -(2 ** 254) - 2 ** 254
    print(max(low, -1), min(low, -1) == low)
    return [abs(x) for x in xs] + [min(xs) * max(xs)]
