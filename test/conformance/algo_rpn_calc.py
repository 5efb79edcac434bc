# Reverse Polish notation calculator using split, int() and a stack.
def rpn(expr: str) -> int:
    stack: list[int] = []
    for tok in expr.split():
        if tok in ["+", "-", "*", "//", "%"]:
            b = stack.pop()
            a = stack.pop()
            if tok == "+":
                stack.append(a + b)
            elif tok == "-":
                stack.append(a - b)
            elif tok == "*":
                stack.append(a * b)
            elif tok == "//":
                stack.append(a // b)
            else:
                stack.append(a % b)
        else:
            stack.append(int(tok))
    return stack[-1]


def main() -> list[int]:
    exprs = ["3 4 +", "5 1 2 + 4 * + 3 -", "-7 2 //", "-7 2 %", "2 10 * -3 //", "+5 -5 *"]
    for e in exprs:
        print(e, "=", rpn(e))
    return [rpn(e) for e in exprs]
