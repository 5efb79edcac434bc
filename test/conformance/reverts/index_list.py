# reverts: index out of range
def main() -> int:
    xs = [10, 20, 30]
    print(xs[2], xs[-3])
    return xs[3]
