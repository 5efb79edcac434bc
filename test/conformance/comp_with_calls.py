# Comprehensions calling functions with side effects run in order.
def trace(x: int) -> int:
    print("trace", x)
    return x * 2


def main() -> list[int]:
    ys = [trace(x) for x in range(4) if x != 2]
    print(ys)
    d = {x: trace(x) for x in [5, 6]}
    print(d)
    total = sum(trace(x) for x in [7])
    return ys + [total]
