# The target of an augmented assignment is evaluated once; chained assignment calls once.
def key(name: str) -> str:
    print("key", name)
    return name


def idx(i: int) -> int:
    print("idx", i)
    return i


def make() -> list[int]:
    print("make")
    return [0, 0]


def main() -> list[int]:
    d = {"a": 1}
    d[key("a")] += 10
    xs = [1, 2, 3]
    xs[idx(1)] *= 5
    grid = [[1, 2], [3, 4]]
    grid[idx(1)][idx(0)] -= 1
    p = q = make()
    p.append(7)
    ys = [1, 2]
    ys[0] += ys.pop()
    print(d, xs, grid, q, ys)
    return xs + ys
