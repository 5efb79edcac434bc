# `is` compares identities; only `is None` / `is not None` are supported.
def same(a: list[int], b: list[int], flag: bool) -> bool:
    if flag is True:  # expect: E0419
        return a is b  # expect: E0419
    return flag
