# Breadth-first search on a grid given as strings; the queue is a list.
def shortest(grid: list[str]) -> int:
    rows = len(grid)
    cols = len(grid[0])
    dist: dict[tuple[int, int], int] = {(0, 0): 0}
    queue = [(0, 0)]
    while queue:
        r, c = queue.pop(0)
        if (r, c) == (rows - 1, cols - 1):
            return dist[(r, c)]
        for dr, dc in [(1, 0), (-1, 0), (0, 1), (0, -1)]:
            nr = r + dr
            nc = c + dc
            if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == "." and (nr, nc) not in dist:
                dist[(nr, nc)] = dist[(r, c)] + 1
                queue.append((nr, nc))
    return -1


def main() -> list[int]:
    maze = ["..#....", ".##.##.", "....#..", "#.#...#", "...#..."]
    print(shortest(maze))
    blocked = [".#", "#."]
    return [shortest(maze), shortest(blocked), shortest(["."])]
