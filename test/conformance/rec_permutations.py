# All permutations of a list, built recursively.
def permutations(xs: list[int]) -> list[list[int]]:
    if len(xs) <= 1:
        return [xs]
    out: list[list[int]] = []
    for i in range(len(xs)):
        rest = xs[:i] + xs[i + 1:]
        for p in permutations(rest):
            out.append([xs[i]] + p)
    return out


def main() -> list[list[int]]:
    ps = permutations([1, 2, 3])
    print(len(ps), len(permutations([1, 2, 3, 4, 5])))
    return ps
