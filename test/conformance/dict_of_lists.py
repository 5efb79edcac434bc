# Grouping values into a dict of lists, with aliasing of the inner lists.
def main() -> dict[str, list[str]]:
    words = ["apple", "avocado", "banana", "blueberry", "cherry", "apricot"]
    groups: dict[str, list[str]] = {}
    for w in words:
        first = w[0]
        if first not in groups:
            groups[first] = []
        groups[first].append(w)
    print(groups)
    a_list = groups["a"]
    a_list.append("acai")
    print(len(groups["a"]), groups["a"][-1])
    return groups
