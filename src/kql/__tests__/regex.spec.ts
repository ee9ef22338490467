/**
 * Text the user writes must never make a regular expression backtrack for ever: each case feeds
 * the code that once used such an expression a long adversarial input. On the old expressions these
 * tests run for hours (jest's timeout fails them); now they take milliseconds.
 */
import { compilerSchema, loadCompiler } from '..';
import { splitBlocks } from '../node/corpus';

describe('regular expressions on user text', () => {
  it('finds comment-only blocks of a corpus entry in linear time', () => {
    const comments = '// a comment // with slashes //\n'.repeat(2000);
    expect(splitBlocks(`${comments}x`)).toEqual([`${comments}x`.trim()]);
    expect(splitBlocks(`${comments}\n\nT | take 1`)).toEqual(['T | take 1']);
    expect(splitBlocks(`// a\n  \n// b`)).toEqual([]);
  });

  it('matches a union wildcard with many stars in linear time', async () => {
    const compiler = await loadCompiler();
    const schema = compilerSchema([
      { name: 'a'.repeat(60), columns: [{ name: 'x', type: 'long' }] },
      { name: `${'a'.repeat(20)}b`, columns: [{ name: 'x', type: 'long' }] },
      { name: 'cb', columns: [{ name: 'x', type: 'long' }] }
    ]);
    const result = compiler.compile(`union ${'*a'.repeat(20)}b`, schema);
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    expect(result.sql).not.toContain(`"${'a'.repeat(60)}"`);
    expect(result.sql).toContain(`"${'a'.repeat(20)}b"`);
    expect(compiler.compile('union *b', schema).sql).toContain('"cb"');
  });

  it('reads a datetime literal with long runs of spaces', async () => {
    const compiler = await loadCompiler();
    const spaces = ' '.repeat(10_000);
    const result = compiler.compile(
      `print datetime(${spaces}2024-01-02${spaces})`,
      compilerSchema([])
    );
    expect(result.sql).toContain('2024-01-02');
  });
});
