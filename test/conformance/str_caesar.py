# Caesar cipher with chr/ord and modular arithmetic.
def shift_char(c: str, k: int) -> str:
    if "a" <= c <= "z":
        return chr((ord(c) - ord("a") + k) % 26 + ord("a"))
    if "A" <= c <= "Z":
        return chr((ord(c) - ord("A") + k) % 26 + ord("A"))
    return c


def encrypt(text: str, k: int) -> str:
    out = ""
    for c in list(text):
        out += shift_char(c, k)
    return out


def main() -> list[str]:
    secret = encrypt("Hello, World!", 3)
    print(secret)
    print(encrypt(secret, -3))
    print(encrypt("xyz XYZ", 4), encrypt("abc", -1), encrypt("abc", 52))
    return [encrypt("zv chain", k) for k in [1, 13, 25]]
