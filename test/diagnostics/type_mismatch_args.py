# Arguments must match the parameter types.
def repeat(s: str, times: int) -> str:
    return s * times


def main() -> str:
    a = repeat("ab", "3")  # expect: E0301
    b = repeat(3, 3)  # expect: E0301
    return a + b
