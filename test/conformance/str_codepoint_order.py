# Ordering uses code points, also beyond the Basic Multilingual Plane
# (where UTF-16 code unit order would differ).
def main() -> list[str]:
    emoji = "😀"
    cjk = "中"
    high = "\uff5e"
    print(emoji > high, emoji > cjk, high > cjk, "a" < emoji)
    print(max(emoji, high) == emoji, min("😀x", "😀") == "😀")
    words = [emoji, high, "a", cjk, "\U0001f600a", "z"]
    return sorted(words)
