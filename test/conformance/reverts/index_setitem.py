# reverts: index out of range
def main() -> list[int]:
    xs = [0, 0, 0]
    xs[2] = 5
    print(xs)
    xs[3] = 7
    return xs
