# Comprehension variables do not leak into the enclosing function.
def main() -> list[int]:
    x = 100
    ys = [x for x in range(3)]
    print(x, ys)
    total = sum(x for x in range(5))
    print(x, total)
    zs = [x + k for k in range(2)]
    print(zs)
    return ys + zs
