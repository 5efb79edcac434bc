# strip, lstrip and rstrip with and without explicit characters.
def main() -> list[str]:
    s = "  \t hello world \n "
    print("[" + s.strip() + "]", "[" + s.lstrip() + "]", "[" + s.rstrip() + "]")
    t = "xxyhixyx"
    print(t.strip("xy"), t.lstrip("x"), t.rstrip("yx"), t.strip("z"))
    print("[" + "   ".strip() + "]", "[" + "".strip() + "]")
    print("0042.500".strip("0"), "www.example.com".strip("cmowz."))
    return [" a ".strip(), "--a--".lstrip("-"), "--a--".rstrip("-"), "abc".strip("abc")]
