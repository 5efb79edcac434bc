# split without a separator (runs of whitespace) and with one (empty fields kept).
def main() -> list[list[str]]:
    print("a b  c".split())
    print("  leading and trailing  ".split())
    print("a,b,,c,".split(","))
    print("a, b, c".split(", "))
    print("".split(), "".split(","), "   ".split())
    print("one\ttwo\nthree".split())
    print("abcabc".split("bc"), "no separator here".split(";"))
    return ["1 2 3".split(), "x::y".split(":"), "k=v".split("=")]
