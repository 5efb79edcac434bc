# Empty literals and None need an annotation.
def collect(n: int) -> int:
    xs = []  # expect: E0308
    seen = {}  # expect: E0308
    last = None  # expect: E0308
    return n
