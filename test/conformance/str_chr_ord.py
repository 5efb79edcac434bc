# chr and ord across ASCII, Latin-1, BMP and astral characters.
def main() -> list[int]:
    print(ord("A"), ord("a"), ord("0"), ord(" "), ord("\n"))
    print(ord("é"), ord("中"), ord("😀"), ord("\x00"))
    print(chr(65), chr(97) + chr(98), chr(233), chr(20013), chr(128512))
    print(chr(ord("a") + 25), ord(chr(1114111)) == 1114111)
    letters = [chr(c) for c in range(ord("a"), ord("f"))]
    print(letters)
    return [ord(c) for c in ["z", "Z", "~", "é", "€", "😀"]]
