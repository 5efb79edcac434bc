# capitalize upper-cases the first character and lower-cases the rest.
def main() -> list[str]:
    print("hello world".capitalize(), "hELLO wORLD".capitalize(), "".capitalize())
    print("123abc".capitalize(), " lead".capitalize(), "éCOLE".capitalize())
    words = "the QUICK bRoWn fox".split()
    return [w.capitalize() for w in words]
