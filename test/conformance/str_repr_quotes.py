# repr of strings picks the quote character as CPython does.
def main() -> list[str]:
    a = "plain"
    b = "it's"
    c = 'say "hi"'
    d = "both ' and \""
    e = ""
    print(f"{a!r} {b!r} {c!r} {d!r} {e!r}")
    print([a, b, c, d, e])
    return [a, b, c, d, e]
