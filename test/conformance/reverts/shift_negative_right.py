# reverts: negative shift count
def main() -> int:
    n = 8
    k = len("ab") - 4
    print(n >> 2)
    return n >> k
