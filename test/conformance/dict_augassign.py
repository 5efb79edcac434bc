# Augmented assignment on dict entries and nested containers.
def main() -> dict[str, int]:
    d = {"a": 1, "b": 10}
    d["a"] += 5
    d["b"] *= 3
    d["b"] -= 1
    d["b"] //= 2
    d["a"] **= 2
    print(d)
    nested = {"xs": [1, 2]}
    nested["xs"][0] += 100
    nested["xs"] += [3]
    print(nested)
    table = {"k": {"inner": 1}}
    table["k"]["inner"] <<= 4
    print(table)
    return d
