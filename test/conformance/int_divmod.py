# divmod agrees with // and % for all signs, and returns a tuple.
def main() -> list[tuple[int, int]]:
    res: list[tuple[int, int]] = []
    for a in [13, -13, 0, 100]:
        for b in [4, -4, 7]:
            q, r = divmod(a, b)
            assert q * b + r == a
            assert (q, r) == (a // b, a % b)
            res.append(divmod(a, b))
    print(divmod(-7, 2), divmod(7, -2))
    return res
