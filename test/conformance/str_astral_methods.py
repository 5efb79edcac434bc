# String methods on text with astral characters (outside the BMP).
def main() -> list[str]:
    s = "😀a😀b😀"
    print(s.strip("😀"), s.lstrip("😀"), s.rstrip("😀"), s.count("😀"), s.find("b"), s.rfind("a"))
    print(s.split("😀"), s.replace("😀", "-"), s.index("b"), s.startswith("😀a"), s.endswith("b😀"))
    print("😀".zfill(3), "-😀".zfill(4), f"[{s:>7}]", f"[{s:<7}]", s[1::2], s[-1::-2])
    print(sorted(list(s)), "".join(reversed(list(s))), "🎉" in s, "😀b" in s, s * 2 == s + s)
    return [c.upper() for c in list("😀ab")] + ["x😀y".split("😀")[1]]
