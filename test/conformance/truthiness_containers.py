# Truthiness of lists, dicts and tuples.
def main() -> list[bool]:
    empty: list[int] = []
    zero_list = [0]
    nested: list[list[int]] = [[]]
    d: dict[str, int] = {}
    full = {"a": 0}
    t = (0,)
    print(bool(empty), bool(zero_list), bool(nested), bool(d), bool(full), bool(t))
    if empty:
        print("empty list is true?")
    else:
        print("empty list is false")
    if nested:
        print("a list holding an empty list is true")
    if not d:
        print("empty dict is false")
    stack = [1, 2, 3]
    while stack:
        print("pop", stack.pop())
    return [not empty, not full, bool(stack), bool(nested[0])]
