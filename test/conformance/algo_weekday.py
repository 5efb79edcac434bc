# Day of the week with Zeller-style arithmetic relying on floor division.
def weekday(y: int, m: int, d: int) -> int:
    if m < 3:
        m += 12
        y -= 1
    k = y % 100
    j = y // 100
    h = (d + (13 * (m + 1)) // 5 + k + k // 4 + j // 4 + 5 * j) % 7
    return (h + 5) % 7


def main() -> list[str]:
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    dates = [(2000, 1, 1), (1969, 7, 20), (2024, 2, 29), (1900, 3, 1), (2100, 12, 31)]
    out: list[str] = []
    for y, m, d in dates:
        out.append(f"{y}-{m:02}-{d:02} {names[weekday(y, m, d)]}")
    for line in out:
        print(line)
    return out
