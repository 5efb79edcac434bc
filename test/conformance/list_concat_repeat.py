# + and * on lists create new lists.
def main() -> list[list[int]]:
    a = [1, 2]
    b = [3]
    c = a + b
    c.append(4)
    print(a, b, c)
    print(a * 3, b * 0, b * -1, [0] * 5)
    d = a * 2
    d[0] = 99
    print(a, d)
    e: list[int] = []
    return [a + e, e + e, e * 3, [7] + a + [8]]
