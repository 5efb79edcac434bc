"""Benchmark workload: plain recursion (a function call per step)."""


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
