# Augmented assignment on list elements, nested elements and negative indices.
def main() -> list[list[int]]:
    xs = [1, 2, 3, 4]
    xs[0] += 10
    xs[-1] *= 5
    xs[1] -= 7
    xs[2] **= 3
    xs[1] //= 2
    print(xs)
    grid = [[1, 2], [3, 4]]
    grid[1][0] += 100
    grid[-1][-1] %= 3
    grid[0][1] <<= 3
    print(grid)
    i = 0
    counts = [0, 0, 0]
    for c in [2, 0, 2, 1, 2]:
        counts[c] += 1
        i += 1
    print(counts, i)
    words = ["a", "b"]
    words[1] *= 3
    print(words)
    return grid
