# A single closing brace in an f-string must be doubled.
def label(n: int) -> str:
    return f"n = {n} }"  # expect: E0013
