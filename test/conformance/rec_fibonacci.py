# Naive recursive Fibonacci and an iterative one near the top of the range.
def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def fib_iter(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def main() -> list[int]:
    print([fib(i) for i in range(15)])
    print(fib(20), fib_iter(20))
    print(fib_iter(300))
    return [fib_iter(100), fib_iter(360)]
