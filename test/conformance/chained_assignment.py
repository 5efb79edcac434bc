# Chained assignment binds every target to the same value (the same list, too).
def main() -> list[int]:
    a = b = c = 7
    b += 1
    print(a, b, c)
    xs = ys = [1, 2]
    ys.append(3)
    print(xs, ys, xs == ys)
    i = j = 0
    while i < 3:
        i += 1
        j += i
    print(i, j)
    p = q = "s"
    q += "!"
    print(p, q)
    return xs
