# Iterating strings (their characters) and tuples directly, and through enumerate, zip,
# reversed and sorted.
def main() -> list[str]:
    out: list[str] = []
    for ch in "héllo😀":
        out.append(ch.upper())
    print(out)
    for i, ch in enumerate("abc"):
        print(i, ch)
    for ch, n in zip("xyz", [1, 2]):
        print(ch * n)
    print([c for c in reversed("stressed")], sorted("banana"))
    total = 0
    for v in (3, 4, 5):
        total += v
    print(total, [w + "!" for w in ("a", "b")])
    return [c + c for c in "😀é"]
