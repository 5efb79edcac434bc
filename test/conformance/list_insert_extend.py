# insert at any position (clamped like CPython) and extend.
def main() -> list[int]:
    xs = [1, 2, 3]
    xs.insert(0, 0)
    xs.insert(2, 99)
    xs.insert(-1, 77)
    print(xs)
    xs.insert(100, 5)
    xs.insert(-100, -5)
    print(xs)
    ys = [7, 8]
    xs.extend(ys)
    xs.extend([])
    ys.extend(ys)
    print(xs, ys)
    return xs
