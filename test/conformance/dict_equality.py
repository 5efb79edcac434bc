# dict equality ignores insertion order; nested values compare deeply.
def main() -> list[bool]:
    a = {"x": 1, "y": 2}
    b = {"y": 2, "x": 1}
    c = {"x": 1, "y": 3}
    print(a == b, a != b, a == c, list(a) == list(b))
    n1 = {"k": [1, 2], "j": [3]}
    n2 = {"j": [3], "k": [1, 2]}
    print(n1 == n2, {1: {2: 3}} == {1: {2: 3}}, {1: {2: 3}} == {1: {2: 4}})
    e: dict[str, int] = {}
    return [a == b, e == {"x": 1}, e != a, {(1, 2): "a"} == {(1, 2): "a"}]
