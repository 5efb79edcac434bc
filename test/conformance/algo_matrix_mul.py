# Matrix multiplication and identity checks on lists of lists.
def matmul(a: list[list[int]], b: list[list[int]]) -> list[list[int]]:
    n = len(a)
    m = len(b[0])
    k = len(b)
    out = [[0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            s = 0
            for t in range(k):
                s += a[i][t] * b[t][j]
            out[i][j] = s
    return out


def identity(n: int) -> list[list[int]]:
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]


def main() -> list[list[int]]:
    a = [[1, 2], [3, 4], [5, 6]]
    b = [[7, 8, 9], [10, 11, 12]]
    c = matmul(a, b)
    print(c)
    print(matmul(c, identity(3)) == c)
    f = [[1, 1], [1, 0]]
    p = identity(2)
    for _ in range(30):
        p = matmul(p, f)
    print(p[0][1])
    return matmul(b, a)
