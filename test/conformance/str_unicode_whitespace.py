# Python's whitespace includes \x1c-\x1f, \x85, \xa0, \u2028 and \u3000: split(), strip() and
# isspace() agree on it.
def main() -> list[list[str]]:
    s = "a\x1cb\x1dc\x1ed\x1fe\x85f\xa0g\u2028h\u3000i"
    print(s.split(), len(s.split()))
    print("[" + "\u3000\x85 text \xa0\u2028".strip() + "]", "\x1c".isspace(), "\xa0".isspace(), "\u200b".isspace())
    print(" \t\n\r\x0b\x0c".isspace(), "\u2003x".lstrip(), "x\u2009".rstrip() + "|")
    return ["one\u2003two\u2029three".split(), "x\x1fy".split(None, 0), "a\xa0b".split(" ")]
