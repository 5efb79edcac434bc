# A tiny in-memory ledger: transfers between accounts with checks.
def transfer(bal: dict[str, int], src: str, dst: str, amount: int) -> bool:
    if amount <= 0 or bal.get(src, 0) < amount:
        print("rejected", src, dst, amount)
        return False
    bal[src] -= amount
    bal[dst] = bal.get(dst, 0) + amount
    return True


def main() -> dict[str, int]:
    bal = {"alice": 100, "bob": 50}
    total = sum(bal.values())
    results = [
        transfer(bal, "alice", "bob", 30),
        transfer(bal, "bob", "carol", 80),
        transfer(bal, "carol", "alice", 1),
        transfer(bal, "alice", "dave", 0),
        transfer(bal, "bob", "alice", -5),
    ]
    print(results, bal)
    assert sum(bal.values()) == total, "supply changed"
    for name in sorted(bal):
        print(f"{name:>6}: {bal[name]:>4}")
    return bal
