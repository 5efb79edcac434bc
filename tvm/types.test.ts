import { describe, expect, it } from 'vitest';
import { defaultValue, parseType, typeToString, ZERO_ADDRESS } from './types.ts';
import { TvmTypeError } from './errors.ts';
import { PyDict } from './pydict.ts';

describe('type descriptors', () => {
  it('round-trips canonical text', () => {
    for (const t of [
      'int', 'bool', 'str', 'bytes', 'Address', 'None', 'list[int]', 'dict[Address,int]', 'tuple[]', 'tuple[int]',
      'tuple[int,str,list[bytes]]', 'Optional[list[int]]', 'Point{x:int,y:int}', 'Empty{}',
      'Line{a:Point{x:int,y:int},b:Point{x:int,y:int},tags:dict[str,Optional[int]]}', 'dict[tuple[int,str],list[Point{x:int}]]',
      'ownable.Role{name:str}',
    ]) {
      expect(typeToString(parseType(t))).toBe(t);
    }
  });

  it('tolerates spaces and prints canonically', () => {
    expect(typeToString(parseType(' dict[ str , list[ int ] ] '))).toBe('dict[str,list[int]]');
    expect(typeToString(parseType('P { x : int , y : Optional[ str ] }'))).toBe('P{x:int,y:Optional[str]}');
    expect(typeToString(parseType('tuple[ ]'))).toBe('tuple[]');
  });

  it('rejects bad descriptors with a position', () => {
    const bad: [string, RegExp][] = [
      ['', /expected a type name/],
      ['float', /unknown type 'float'/],
      ['list[int', /expected '\]'/],
      ['list[int]]', /unexpected text/],
      ['dict[int]', /expected ','/],
      ['dict[list[int],int]', /not hashable/],
      ['int[str]', /takes no type parameters/],
      ['P{x:int,x:str}', /duplicate field 'x'/],
      ['P{x int}', /expected ':'/],
      ['list[' .repeat(40) + 'int' + ']'.repeat(40), /nesting deeper/],
      ['constructor', /unknown type/],
      ['toString', /unknown type/],
    ];
    for (const [s, re] of bad) {
      let err: unknown;
      try {
        parseType(s);
      } catch (e) {
        err = e;
      }
      expect(err, s).toBeInstanceOf(TvmTypeError);
      expect((err as Error).message, s).toMatch(re);
      expect(typeof (err as TvmTypeError).position).toBe('number');
    }
  });

  it('gives fresh defaults', () => {
    expect(defaultValue(parseType('int'))).toBe(0);
    expect(defaultValue(parseType('bool'))).toBe(false);
    expect(defaultValue(parseType('str'))).toBe('');
    expect(defaultValue(parseType('bytes'))).toEqual(new Uint8Array(0));
    expect(defaultValue(parseType('Address'))).toBe(ZERO_ADDRESS);
    expect(defaultValue(parseType('Optional[int]'))).toBe(null);
    expect(defaultValue(parseType('tuple[int,str,P{a:bool,b:list[int]}]'))).toEqual([0, '', [false, []]]);
    expect(defaultValue(parseType('dict[str,int]'))).toBeInstanceOf(PyDict);
    const t = parseType('list[int]');
    expect(defaultValue(t)).not.toBe(defaultValue(t));
  });
});
