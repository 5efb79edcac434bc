# Calls with too few or too many arguments.
def add(a: int, b: int) -> int:
    return a + b


def main() -> int:
    xs = [1, 2]
    x = add(1)  # expect: E0302
    y = add(1, 2, 3)  # expect: E0302
    n = len(xs, xs)  # expect: E0302
    xs.append(1, 2)  # expect: E0302
    return x + y + n
