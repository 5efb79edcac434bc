# Classes other than Contract, Struct, Event and Interface subclasses.
from zvchain import Struct


class Point(Struct):
    x: int
    y: int


class Helper:  # expect: E0417
    pass


class Base(object):  # expect: E0417
    pass


class InsufficientFunds(Exception):  # expect: E0417
    pass
