# reverts: key not found
def main() -> int:
    d = {"a": 1, "b": 2}
    print(d["a"], d.get("zz", 0))
    return d["zz"]
