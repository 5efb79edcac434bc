# int() accepts any Unicode decimal digits (Arabic-Indic, fullwidth, Devanagari), as in Python.
def main() -> list[int]:
    print(int("١٢٣"), int("-٤٢"), int("１２"), int("९९"))
    return [int(s) for s in ["٠", "١_٠٠٠", " ۳ "]]
