# len, +, *, in and not in on strings.
def main() -> list[str]:
    a = "foo"
    b = "bar"
    c = a + b
    print(c, len(c), len(""), c * 2, 3 * "ab")
    print("-" * 0 == "", "x" * -1 == "", ("ab" + "c") * 2)
    print("oba" in c, "baz" in c, "" in c, "x" not in c, c in c)
    line = ""
    for i in range(3):
        line = line + str(i) + ","
    print(line)
    return [a * 1, b + "", "=" * 10, "ab" * 3]
