# += and *= on strings build new strings (strings are immutable).
def main() -> list[str]:
    s = "ab"
    t = s
    s += "cd"
    print(s, t)
    s *= 2
    print(s, t)
    parts: list[str] = []
    acc = ""
    for i in range(4):
        acc += str(i)
        parts.append(acc)
    print(parts)
    names = ["x", "y"]
    names[0] += "!"
    return names + parts
