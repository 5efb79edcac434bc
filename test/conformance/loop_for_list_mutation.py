# Loop variable assignment does not change the list; index assignment does.
def main() -> list[int]:
    xs = [1, 2, 3]
    for x in xs:
        x = x * 10
    print(xs)
    for i in range(len(xs)):
        xs[i] = xs[i] * 10
    print(xs)
    total = 0
    for x in xs:
        total += x
    print(total)
    out: list[int] = []
    for x in [5, 6]:
        out.append(x)
        out.append(-x)
    return out + xs
