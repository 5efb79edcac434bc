# String literal forms: escapes, triple quotes, raw strings and implicit concatenation.
def main() -> list[str]:
    esc = "tab\tnl\\n quote\" apos\' hex\x41 uni\u00e9 astral\U0001F600"
    print(esc)
    tri = """line one
line 'two'
  line "three\""""
    print(tri.split("\n"))
    raw = r"C:\new\table \d+"
    print(raw, len(raw))
    joined = "abc" "def" 'ghi'
    print(joined)
    single = 'single "quoted"'
    return [esc, tri, raw, joined, single]
