# Two parameters with the same name (CPython rejects this too).
def move(src: int, src: int) -> int:  # expect: E0202
    return src
