# A variable keeps the type of its first assignment; returns match the signature.
def describe(n: int) -> str:
    count = 0
    count = "many"  # expect: E0301
    label: int = "zero"  # expect: E0301
    if n > 0:
        return n  # expect: E0301
    return "none"
