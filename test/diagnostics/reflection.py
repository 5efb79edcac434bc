# Reflection: eval, exec, getattr, setattr, hasattr, __dict__, type(), vars, globals.
from zvchain import Contract, public


class Dynamic(Contract):
    count: int

    @public
    def poke(self, name: str) -> int:
        x = eval("1 + 1")  # expect: E0413
        exec("y = 2")  # expect: E0413
        v = getattr(self, name)  # expect: E0413
        setattr(self, name, 5)  # expect: E0413
        ok = hasattr(self, "count")  # expect: E0413
        d = self.__dict__  # expect: E0413
        t = type(x)  # expect: E0413
        w = vars()  # expect: E0413
        g = globals()  # expect: E0413
        return self.count
