# Rotating and flipping matrices stored as lists of lists.
def rotate(m: list[list[int]]) -> list[list[int]]:
    n = len(m)
    return [[m[n - 1 - r][c] for r in range(n)] for c in range(n)]


def main() -> list[list[int]]:
    m = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    r = rotate(m)
    print(r)
    print(rotate(rotate(rotate(rotate(m)))) == m)
    flipped = [row[::-1] for row in m]
    print(flipped, m[::-1])
    diag = [m[i][i] for i in range(3)]
    anti = [m[i][2 - i] for i in range(3)]
    print(diag, anti, sum(diag) + sum(anti))
    return r
