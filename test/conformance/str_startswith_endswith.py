# startswith and endswith.
def main() -> list[bool]:
    s = "contract.py"
    print(s.startswith("con"), s.startswith("tract"), s.endswith(".py"), s.endswith("py "))
    print(s.startswith(""), s.endswith(""), "".startswith("a"), s.startswith(s))
    files = ["a.py", "b.txt", "c.py", "test_d.py"]
    print([f for f in files if f.endswith(".py") and not f.startswith("test_")])
    return ["héllo".startswith("hé"), "😀x".endswith("x"), "abc".endswith("abcd")]
