# reverts: key not found
def main() -> int:
    d = {(1, 2): 3, (2, 1): 4}
    del d[(1, 2)]
    print(len(d), (1, 2) in d)
    return d[(1, 2)]
