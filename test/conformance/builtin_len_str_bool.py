# len, str and bool of every container kind.
def main() -> list[str]:
    xs = [1, 2, 3]
    d = {"a": 1, "b": 2}
    t = (1, "x", True)
    print(len(xs), len(d), len(t), len("héllo"), len(b"ab"), len(""))
    print(str(xs), str(d), str(t), str(True), str(False), str(-12))
    print(bool(xs), bool(d), bool(t), bool(""), bool("0"))
    return [str(len(xs) + len(d)), str([xs, xs]), str((1,)), str({1: (2, 3)})]
