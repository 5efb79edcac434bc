# Operators applied to types that do not support them.
def main() -> str:
    count = 5
    a = "count: " + count  # expect: E0303
    b = "abc" - "b"  # expect: E0303
    c = -"x"  # expect: E0303
    d = [1, 2] * "2"  # expect: E0303
    return a + b + c
