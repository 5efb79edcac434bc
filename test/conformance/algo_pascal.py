# Pascal's triangle and binomial coefficients.
def row(n: int) -> list[int]:
    r = [1]
    for _ in range(n):
        r = [a + b for a, b in zip([0] + r, r + [0])]
    return r


def choose(n: int, k: int) -> int:
    result = 1
    for i in range(1, k + 1):
        result = result * (n - k + i) // i
    return result


def main() -> list[list[int]]:
    for i in range(6):
        print(" ".join([str(x) for x in row(i)]))
    print(choose(100, 50), choose(200, 100) == row(200)[100], sum(row(20)) == 2 ** 20)
    return [row(i) for i in range(4)]
