# reverts: index out of range
# An index far outside 64 bits.
def main() -> int:
    xs = [1, 2, 3]
    i = 2 ** 100
    print(xs[i - 2 ** 100])
    return xs[i]
