# Comprehensions with several for clauses and nested comprehensions.
def main() -> list[list[int]]:
    pairs = [(i, j) for i in range(3) for j in range(i)]
    print(pairs)
    grid = [[r * 3 + c for c in range(3)] for r in range(3)]
    print(grid)
    flat = [x for row in grid for x in row if x % 2 == 0]
    print(flat)
    transposed = [[grid[r][c] for r in range(3)] for c in range(3)]
    print(transposed)
    combos = [a + b for a in ["x", "y"] for b in ["1", "2", "3"] if not (a == "y" and b == "2")]
    print(combos)
    return transposed
