# Searching with a flag instead of a loop else clause.
def is_prime(n: int) -> bool:
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def main() -> list[int]:
    primes = [n for n in range(50) if is_prime(n)]
    print(primes)
    big = 2 ** 61 - 1
    print(is_prime(1000003), is_prime(1000001))
    first_composite = -1
    for n in range(90, 100):
        if not is_prime(n):
            first_composite = n
            break
    print(first_composite, big % 1000)
    return primes[-3:]
