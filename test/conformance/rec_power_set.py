# The power set of a list of strings.
def subsets(items: list[str]) -> list[list[str]]:
    if not items:
        empty: list[str] = []
        return [empty]
    rest = subsets(items[1:])
    return rest + [[items[0]] + s for s in rest]


def main() -> list[str]:
    all_sets = subsets(["a", "b", "c"])
    print(len(all_sets), all_sets)
    return sorted(["".join(s) for s in all_sets])
