# join with different separators.
def main() -> list[str]:
    words = ["alpha", "beta", "gamma"]
    print(", ".join(words), "".join(words), "-".join(["x"]))
    empty: list[str] = []
    print("[" + ",".join(empty) + "]")
    digits = [str(i) for i in range(5)]
    print("+".join(digits))
    parts = "a b c".split()
    return [" ".join(parts), "\n".join(parts), "é".join(["a", "b"]), "".join(reversed(words))]
