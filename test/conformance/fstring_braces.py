# Literal braces are written doubled.
def main() -> str:
    x = 5
    print(f"{{x}}", f"{{{x}}}", f"{{", f"}}", f"{{}}")
    print(f"set-like {{{x}, {x + 1}}}")
    d = {"a": 1}
    print(f"{d} {{d}}")
    return f"{{{x}}}{{"
