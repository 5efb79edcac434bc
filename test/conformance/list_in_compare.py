# in, not in, == and lexicographic ordering of lists.
def main() -> list[bool]:
    xs = [1, 2, 3]
    print(2 in xs, 5 in xs, 5 not in xs)
    grid = [[1, 2], [3]]
    print([1, 2] in grid, [2, 1] in grid, [3] in grid)
    print([1, 2] == [1, 2], [1, 2] != [2, 1], [1, 2] < [1, 3], [1, 2] < [1, 2, 0], [2] > [1, 9, 9])
    empty: list[int] = []
    print(empty < [0], empty == xs[:0], [[1]] < [[1, 0]])
    words = ["x", "y"]
    return ["x" in words, "z" in words, words == ["x", "y"], words < ["x"]]
