# dicts of dicts, mutated through aliases and setdefault.
def main() -> dict[str, dict[str, int]]:
    scores: dict[str, dict[str, int]] = {}
    entries = [("ann", "math", 90), ("bob", "math", 70), ("ann", "art", 85), ("bob", "art", 95)]
    for name, subject, score in entries:
        fresh: dict[str, int] = {}
        inner = scores.setdefault(name, fresh)
        inner[subject] = score
    print(scores)
    scores["ann"]["math"] += 5
    bob = scores["bob"]
    bob["music"] = 60
    print(scores["bob"], len(scores["bob"]))
    totals = {n: sum(s.values()) for n, s in scores.items()}
    print(totals)
    return scores
