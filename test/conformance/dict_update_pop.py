# update, pop (with and without default), setdefault, del, clear, copy.
def main() -> dict[str, int]:
    d = {"x": 1, "y": 2}
    d.update({"y": 20, "z": 30})
    print(d)
    print(d.pop("x"), d.pop("missing", -1), d)
    print(d.setdefault("y", 99), d.setdefault("w", 5), d)
    del d["z"]
    print(d)
    c = d.copy()
    c["new"] = 1
    print(d, c)
    alias = d
    d.clear()
    print(alias, len(alias), c)
    return c
