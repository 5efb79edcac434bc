"""Benchmark workload: a contract call that writes and reads many storage Map entries."""

from zvchain import Contract, Map, public


class Store(Contract):
    values: Map[int, int]
    owners: Map[int, Map[int, bool]]
    count: int

    @public
    def fill(self, n: int) -> int:
        # n writes to a Map, n writes to a nested Map, then n reads back of each.
        for i in range(n):
            self.values[i] = i * i + 1
            self.owners[i % 16][i] = True
        self.count += n
        total = 0
        for i in range(n):
            total += self.values[i]
            if self.owners[i % 16][i]:
                total += 1
        return total
