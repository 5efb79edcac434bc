# reverts: division by zero
def main() -> tuple[int, int]:
    d = len("")
    print(divmod(-7, 2))
    return divmod(-7, d)
