# Insertion order is kept; updating a key keeps its place, re-inserting moves it to the end.
def main() -> list[str]:
    d = {"b": 1, "a": 2, "c": 3}
    print(list(d.keys()), list(d.values()), list(d.items()))
    d["a"] = 20
    print(d)
    del d["b"]
    d["b"] = 100
    print(d)
    d.pop("a")
    d["a"] = 7
    d["z"] = 0
    print(d, list(d))
    return list(d.keys())
