# Left-to-right evaluation of operands, arguments, list and dict literals.
def v(name: str, x: int) -> int:
    print(name)
    return x


def add3(a: int, b: int, c: int) -> int:
    return a + b + c


def main() -> int:
    print("binary")
    r1 = v("left", 1) - v("right", 2) * v("mul", 3)
    print("call")
    r2 = add3(v("a1", 1), v("a2", 2), v("a3", 3))
    print("list")
    xs = [v("e0", 0), v("e1", 1)]
    print("dict")
    d = {v("k1", 1): v("v1", 10), v("k2", 2): v("v2", 20)}
    print("index")
    r3 = xs[v("idx", 1)] + d[v("key", 2)]
    return r1 * 100 + r2 * 10 + r3
