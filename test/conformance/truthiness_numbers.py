# Truthiness of ints and bools in if, while, not and bool().
def describe(x: int) -> str:
    if x:
        return "truthy"
    return "falsy"


def main() -> list[bool]:
    print(describe(0), describe(1), describe(-1), describe(2 ** 200))
    n = 5
    count = 0
    while n:
        n -= 1
        count += 1
    print(count)
    print(not 0, not 7, bool(0), bool(-7))
    flag = False
    if not flag:
        print("flag is off")
    return [bool(x) for x in [0, 1, -1, 100]]
