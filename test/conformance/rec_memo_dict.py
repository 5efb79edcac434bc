# Memoized recursion with a dict passed by reference.
def fib(n: int, memo: dict[int, int]) -> int:
    if n < 2:
        return n
    if n in memo:
        return memo[n]
    r = fib(n - 1, memo) + fib(n - 2, memo)
    memo[n] = r
    return r


def ways(n: int, coins: list[int], i: int, memo: dict[tuple[int, int], int]) -> int:
    if n == 0:
        return 1
    if n < 0 or i == len(coins):
        return 0
    key = (n, i)
    if key not in memo:
        memo[key] = ways(n - coins[i], coins, i, memo) + ways(n, coins, i + 1, memo)
    return memo[key]


def main() -> list[int]:
    memo: dict[int, int] = {}
    print(fib(150, memo), len(memo))
    m2: dict[tuple[int, int], int] = {}
    print(ways(100, [1, 5, 10, 25, 50], 0, m2))
    m3: dict[tuple[int, int], int] = {}
    return [fib(90, memo), ways(30, [2, 3, 7], 0, m3)]
