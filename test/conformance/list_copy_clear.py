# copy makes a shallow copy; clear empties the list in place.
def main() -> list[list[int]]:
    a = [1, 2, 3]
    b = a.copy()
    c = list(a)
    d = a[:]
    b.append(4)
    c.append(5)
    d.append(6)
    print(a, b, c, d)
    alias = a
    a.clear()
    print(a, alias, len(alias))
    grid = [[1], [2]]
    shallow = grid.copy()
    shallow[0].append(9)
    shallow.append([3])
    print(grid, shallow)
    return [a, b, c, d]
