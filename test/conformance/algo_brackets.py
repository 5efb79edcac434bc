# Balanced brackets with a list used as a stack.
def balanced(s: str) -> bool:
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for c in list(s):
        if c in "([{":
            stack.append(c)
        elif c in pairs:
            if not stack or stack.pop() != pairs[c]:
                return False
    return len(stack) == 0


def main() -> list[bool]:
    cases = ["()", "([]{})", "(]", "((", "", "a(b[c]d)e", "}{", "([)]"]
    for c in cases:
        print(f"{c!r}", balanced(c))
    return [balanced(c) for c in cases]
