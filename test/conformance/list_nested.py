# Lists of lists: indexing, mutation and shared rows.
def main() -> list[list[int]]:
    grid = [[0] * 3 for _ in range(3)]
    grid[1][2] = 5
    grid[0][0] += 1
    print(grid)
    shared = [[0] * 3] * 3
    shared[0][1] = 7
    print(shared)
    row = grid[2]
    row.append(9)
    print(grid[2], len(grid[2]))
    jag = [[1], [2, 3], [], [4, 5, 6]]
    print([len(r) for r in jag], jag[3][-1], jag[1][0])
    return grid
