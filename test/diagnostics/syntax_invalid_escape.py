# A \x escape needs two hex digits.
def marker() -> str:
    return "\x4g"  # expect: E0005
