# The !r conversion.
def main() -> list[str]:
    s = "it's"
    t = "x\ny"
    n = -5
    words = ["a", "b"]
    print(f"{s!r} {t!r} {n!r} {words!r}")
    print(f"[{s}] vs [{s!r}]")
    name = "O'Brien"
    raw = b"\x00'"
    return [f"{name!r}", f"{'q'!r}", f"{raw!r}", f"{len(name)!r}", f"{[s, t]!r}"]
