# An f-string replacement field needs an expression.
def label(n: int) -> str:
    return f"total: {}"  # expect: E0013
