# Collatz sequence lengths.
def steps(n: int) -> int:
    count = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        count += 1
    return count


def main() -> tuple[int, int]:
    best = 0
    best_n = 0
    for n in range(1, 60):
        s = steps(n)
        if s > best:
            best = s
            best_n = n
    print(steps(27), steps(1), steps(2 ** 50))
    return (best_n, best)
