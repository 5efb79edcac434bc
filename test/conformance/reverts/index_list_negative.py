# reverts: index out of range
def main() -> int:
    xs = [10, 20, 30]
    print(xs[-1])
    return xs[-4]
