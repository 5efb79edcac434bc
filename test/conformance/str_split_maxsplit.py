# split with a maximum number of splits.
def main() -> list[list[str]]:
    s = "a,b,c,d"
    print(s.split(",", 1), s.split(",", 2), s.split(",", 0), s.split(",", -1), s.split(",", 10))
    t = "  alpha  beta   gamma  "
    print(t.split(None, 1))
    print(t.split(None, 0))
    key, value = "name=zv=chain".split("=", 1)
    print(key, value)
    return ["1 2 3 4".split(" ", 2), "a--b--c".split("--", 1)]
