# print shows str() of its arguments: strings without quotes, containers with reprs inside.
def main() -> str:
    s = "quote'd"
    print(s)
    print([s])
    print((s, 1))
    print({s: s})
    print(str([s]), str(s), f"{s}")
    print(b"bytes", [b"in list"])
    return str({"k": ["v", "w"]})
