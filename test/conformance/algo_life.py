# Three generations of Conway's Game of Life on a small wrapped grid.
def step(grid: list[str]) -> list[str]:
    rows = len(grid)
    cols = len(grid[0])
    out: list[str] = []
    for r in range(rows):
        line = ""
        for c in range(cols):
            n = 0
            for dr in [-1, 0, 1]:
                for dc in [-1, 0, 1]:
                    if (dr != 0 or dc != 0) and grid[(r + dr) % rows][(c + dc) % cols] == "#":
                        n += 1
            alive = grid[r][c] == "#"
            line += "#" if n == 3 or (alive and n == 2) else "."
        out.append(line)
    return out


def main() -> list[str]:
    g = ["......", "..#...", "...#..", ".###..", "......", "......"]
    for gen in range(3):
        g = step(g)
        print(gen, " ".join(g))
    return g
