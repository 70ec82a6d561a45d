import { describe, expect, it } from 'vitest'
import { csvCell, csvLine } from '../../../src/core/report/csvLine.js'
import { markdownCell, markdownTable } from '../../../src/core/report/markdownTable.js'
import { textTable } from '../../../src/core/report/textTable.js'

describe('report cells: every event-derived value inert in its format', () => {
  const csv: Array<[string, unknown, string]> = [
    ['plain', 'web:44', 'web:44'],
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a formula', '=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['a leading minus or at sign', '-1+2', '\'-1+2'],
    ['a line break', 'a\nb', 'a b'],
    ['ANSI escape and bidi override removed', '\u001b[31mred\u202e', '[31mred'],
    ['a number', 3, '3'],
  ]
  it.each(csv)('csv: %s', (_, value, cell) => {
    expect(csvCell(value)).toBe(cell)
  })
  it('csv lines end in CRLF', () => {
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n')
  })

  const md: Array<[string, string, string]> = [
    ['a pipe cannot end the cell', 'a|b', 'a\\|b'],
    ['no link', '[click](http://evil)', '\\[click\\](http://evil)'],
    ['no HTML', '<img src=x>', '&lt;img src=x&gt;'],
    ['no mention or issue link', '@team #12', '\\@team \\#12'],
    ['no formatting', '*bold* _it_ `code` ~s~', '\\*bold\\* \\_it\\_ \\`code\\` \\~s\\~'],
    ['one line', 'a\r\nb', 'a b'],
  ]
  it.each(md)('markdown: %s', (_, value, cell) => {
    expect(markdownCell(value)).toBe(cell)
  })
  it('a markdown table', () => {
    expect(markdownTable(['a', 'b'], [['1', 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |\n')
  })
  it('a text table pads columns, bounds cells and keeps each row on one line', () => {
    const long = 'x'.repeat(50)
    expect(textTable(['a', 'bb'], [[long, 'x\ny'], ['1', '2']], 30)).toBe(
      `a                               bb\n${'x'.repeat(17)}… (truncated)  x y\n1                               2\n`,
    )
  })
})
