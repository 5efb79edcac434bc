# Number literals CPython rejects too.
def amounts() -> list[int]:
    a = 007  # expect: E0004
    b = 1__000  # expect: E0004
    return [a, b]
