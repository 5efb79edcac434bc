# upper and lower, also on non-ASCII letters.
def main() -> list[str]:
    s = "Hello, World! 123"
    print(s.upper(), s.lower())
    print("héllo wörld".upper(), "ÀÉÎÕÜ".lower(), "straße".upper())
    print("".upper() == "", "ABC".lower().upper(), "mIxEd".lower())
    names = ["alice", "Bob", "CAROL"]
    return [n.upper() for n in names] + [n.lower() for n in names]
