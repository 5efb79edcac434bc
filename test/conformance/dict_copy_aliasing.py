# dicts are shared by reference; dict(d) and d.copy() are shallow copies.
def bump(d: dict[str, int], k: str) -> None:
    d[k] = d.get(k, 0) + 1


def main() -> dict[str, int]:
    a = {"x": 1}
    b = a
    bump(b, "x")
    bump(a, "y")
    print(a, b, a == b)
    c = dict(a)
    c["z"] = 9
    print(a, c)
    lists = {"l": [1]}
    shallow = lists.copy()
    shallow["l"].append(2)
    print(lists)
    return a
