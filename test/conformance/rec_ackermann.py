# Ackermann function for small arguments.
def ack(m: int, n: int) -> int:
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))


def main() -> list[int]:
    print(ack(0, 0), ack(1, 2), ack(2, 3))
    return [ack(m, n) for m in range(3) for n in range(3)] + [ack(3, 3)]
