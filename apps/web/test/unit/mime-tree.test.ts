import { describe, expect, it } from 'vitest';
import { headerParam, parseMimeTree } from '../../src/lib/mime-tree';

const MESSAGE = [
  'From: a@x.test',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'preamble',
  '--outer',
  'Content-Type: multipart/alternative;',
  ' boundary=inner',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Hello',
  '--inner',
  'Content-Type: text/html; charset="iso-8859-1"',
  '',
  '<p>Hello</p>',
  '--inner--',
  '--outer',
  'Content-Type: application/pdf; name="r.pdf"',
  'Content-Disposition: attachment; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.pdf',
  'Content-Transfer-Encoding: base64',
  '',
  'JVBERi0=',
  '--outer--',
  'epilogue',
].join('\r\n');

describe('parseMimeTree', () => {
  it('reads the part tree with types, charsets, encodings and filenames', () => {
    const tree = parseMimeTree(MESSAGE);
    expect(tree.contentType).toBe('multipart/mixed');
    expect(tree.children.map((c) => c.contentType)).toEqual(['multipart/alternative', 'application/pdf']);
    const [alternative, pdf] = tree.children;
    expect(alternative!.children.map((c) => [c.path, c.contentType, c.charset, c.encoding])).toEqual([
      ['1.1', 'text/plain', 'utf-8', 'quoted-printable'],
      ['1.2', 'text/html', 'iso-8859-1', null],
    ]);
    expect(pdf).toMatchObject({ path: '2', disposition: 'attachment', filename: 'résumé.pdf', encoding: 'base64' });
    expect(pdf!.size).toBe('JVBERi0='.length);
  });
  it('treats a message without Content-Type as text/plain and survives garbage', () => {
    expect(parseMimeTree('Subject: x\r\n\r\nbody').contentType).toBe('text/plain');
    expect(parseMimeTree('Content-Type: multipart/mixed\r\n\r\nno boundary').children).toEqual([]);
    expect(parseMimeTree('').contentType).toBe('text/plain');
  });
  it('stops at a bounded depth for deeply nested multiparts', () => {
    let raw = 'body';
    for (let i = 0; i < 100; i += 1) raw = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${raw}\r\n--b${i}--`;
    let depth = 0;
    for (let node = parseMimeTree(raw); node.children[0]; node = node.children[0]) depth += 1;
    expect(depth).toBeLessThanOrEqual(20);
  });
});

describe('headerParam', () => {
  it('reads quoted, bare and RFC 2231 parameters', () => {
    expect(headerParam('text/plain; charset="utf-8"', 'charset')).toBe('utf-8');
    expect(headerParam('multipart/mixed; boundary=abc', 'boundary')).toBe('abc');
    expect(headerParam("attachment; filename*=UTF-8''a%20b.txt", 'filename')).toBe('a b.txt');
    expect(headerParam(null, 'x')).toBeNull();
  });
});
