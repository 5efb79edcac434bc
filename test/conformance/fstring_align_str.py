# Width and alignment of strings, counting code points.
def main() -> list[str]:
    names = ["a", "bob", "charlie", "é", "😀"]
    for name in names:
        print(f"|{name:>6}|{name:<6}|")
    w = "toolongvalue"
    print(f"[{w:>4}] [{w:<4}]")
    rows = [("apple", 3), ("kiwi", 12), ("fig", 100)]
    for fruit, qty in rows:
        print(f"{fruit:<8}{qty:>5}")
    return [f"{s:>3}" for s in ["", "ab", "abcd"]]
