# Rebinding a parameter does not affect the caller; mutating a list argument does.
def rebind_int(n: int) -> int:
    n += 100
    return n


def rebind_list(xs: list[int]) -> list[int]:
    xs = xs + [99]
    return xs


def mutate_list(xs: list[int]) -> None:
    xs.append(42)
    xs[0] = -1


def rebind_str(s: str) -> str:
    s += "!"
    return s


def main() -> list[int]:
    n = 1
    print(rebind_int(n), n)
    xs = [1, 2]
    ys = rebind_list(xs)
    print(xs, ys)
    mutate_list(xs)
    print(xs)
    s = "hi"
    print(rebind_str(s), s)
    return xs
