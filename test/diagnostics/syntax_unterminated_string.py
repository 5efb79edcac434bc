# A string literal that runs to the end of the line.
def greeting() -> str:
    return "hello  # expect: E0002
