# Case mappings beyond ASCII: length-changing mappings, title case, Greek and Cyrillic.
def main() -> list[str]:
    print("ß".upper(), "ﬁ".upper(), len("İ".lower()), "ΣΑΣ".lower(), "ǆ".upper())
    print("ǆemal".capitalize(), "ßa".capitalize(), "ǅ".islower(), "ǅ".isupper(), "Ω".isupper())
    print("привет мир".upper(), "ПРИВЕТ".lower(), "ÉCOLE".lower().capitalize())
    print("straße".upper().lower(), "ǈ".lower(), "ΐ".upper(), len("ΐ".upper()))
    return [w.upper() for w in ["é", "ñ", "ø", "æ", "œ", "ÿ"]] + [w.lower() for w in ["Ÿ", "Ø", "Ǆ"]]
