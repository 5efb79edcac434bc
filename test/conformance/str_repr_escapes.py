# repr escapes backslashes, control characters and keeps printable Unicode.
def main() -> list[str]:
    items = ["back\\slash", "new\nline", "tab\there", "cr\r", "nul\x00", "bell\x07", "del\x7f", "esc\x1b[0m"]
    for s in items:
        print(f"{s!r}", len(s))
    uni = ["héllo", "中文", "😀", "naïve café", "Ωmega"]
    print(uni)
    return items + uni
