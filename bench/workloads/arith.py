"""Benchmark workload: integer arithmetic in tight loops (module functions, no storage)."""


def sum_squares_mod(n: int) -> int:
    # sum of i*i % 7 for i below n: a multiply, a modulo and an add per step.
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def collatz_steps(limit: int) -> int:
    # Total Collatz steps of every start value below `limit`: data-dependent branches,
    # floor division and a while loop.
    steps = 0
    for start in range(1, limit):
        x = start
        while x != 1:
            if x % 2 == 0:
                x = x // 2
            else:
                x = 3 * x + 1
            steps += 1
    return steps


def arith(n: int) -> tuple[int, int]:
    return (sum_squares_mod(n), collatz_steps(n // 20))
