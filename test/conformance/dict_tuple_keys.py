# Tuples as dict keys.
def main() -> dict[tuple[int, int], str]:
    grid: dict[tuple[int, int], str] = {}
    grid[(0, 0)] = "origin"
    grid[1, 2] = "a"
    grid[(2, 1)] = "b"
    print(grid[(1, 2)], grid[0, 0], (2, 1) in grid, (3, 3) in grid)
    key = (1, 2)
    grid[key] = grid[key] + "!"
    print(grid)
    names = {("ann", 1): True, ("bob", 2): False}
    print(names[("bob", 2)], list(names))
    return grid
