# Chained string method calls.
def normalize(s: str) -> str:
    return " ".join(s.strip().lower().split())


def main() -> list[str]:
    raw = "   Hello    WORLD  from   ZV  "
    print(normalize(raw))
    print(raw.strip().split()[1].capitalize(), raw.upper().count("O"), raw.lower().replace(" ", "").find("world"))
    csv = " a , b ,c,, d "
    cells = [c.strip() for c in csv.split(",")]
    print(cells, [c for c in cells if c])
    return [w.zfill(3) for w in "7 42 123 1234".split()] + [normalize("\tA\nB  ")]
