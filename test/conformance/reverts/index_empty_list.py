# reverts: index out of range
def first(xs: list[str]) -> str:
    return xs[0]


def main() -> str:
    print(first(["a"]))
    empty: list[str] = []
    return first(empty)
