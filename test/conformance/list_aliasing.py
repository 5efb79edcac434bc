# Lists are shared by reference, as in CPython.
def add_item(xs: list[int], x: int) -> None:
    xs.append(x)


def main() -> list[int]:
    a = [1, 2]
    b = a
    b.append(3)
    print(a, b, a == b)
    add_item(a, 4)
    print(b)
    c = a
    c = c + [5]
    print(a, c)
    d = a
    d += [6]
    print(a, d)
    holder = [a, a]
    holder[0].append(7)
    print(holder)
    return b
