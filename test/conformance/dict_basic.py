# dict literals, lookup, assignment, len and in.
def main() -> dict[str, int]:
    d = {"one": 1, "two": 2}
    d["three"] = 3
    d["one"] = 11
    print(d, len(d), d["two"])
    print("one" in d, "four" in d, "four" not in d, 1 in {1: "x"})
    empty: dict[str, int] = {}
    empty["k"] = 0
    print(empty)
    return d
