# len, indexing and slicing count code points, not bytes or UTF-16 units.
def main() -> list[str]:
    s = "naïve café"
    print(len(s), s[2], s[-1], s[6:], s[::-1])
    t = "日本語テキスト"
    print(len(t), t[0], t[-1], t[2:4], t.find("テ"))
    u = "Ωmega ≠ alpha"
    print(u.upper(), u.lower(), u.split(" ≠ "))
    print("é" in s, "ï" in t, s.replace("é", "e"))
    return [s[i] for i in range(0, len(s), 3)] + [t[1:3]]
