/**
 * The postcode import's fast path: splitting one plain CSV line without a general parser. Anything
 * it cannot vouch for (a quote inside an unquoted field, a quoted line break) it declines, and the
 * import hands the rest of the file to csv-parse. csv-line.test.ts checks it reads every line it
 * accepts exactly as csv-parse does.
 */
/**
 * Splits `text[from, to)` (one line, no line break, no lone CR) into `fields`, the first `wanted` of
 * them, when every field of the line is plain: no double quote at all, or quoted whole (`"…"`, with
 * `""` for a quote inside). The fields after the wanted ones are only checked, not copied. Answers
 * false, with `fields` unspecified, for anything else: a quote inside an unquoted field, text after
 * a closing quote, or a quote left open (a quoted line break, or a fault).
 */
export function splitPlainLine(text: string, from: number, to: number, fields: string[], wanted = Infinity): boolean {
  fields.length = 0;
  let at = from;
  while (fields.length < wanted) {
    if (text.charCodeAt(at) === 34) {
      let close = text.indexOf('"', at + 1);
      let value = "";
      let start = at + 1;
      for (;;) {
        if (close < 0 || close >= to) return false;
        if (close + 1 >= to || text.charCodeAt(close + 1) !== 34) break;
        value += text.slice(start, close + 1);
        start = close + 2;
        close = text.indexOf('"', start);
      }
      fields.push(value + text.slice(start, close));
      at = close + 1;
      if (at >= to) return true;
      if (text.charCodeAt(at) !== 44) return false;
      at += 1;
    } else {
      let comma = text.indexOf(",", at);
      if (comma < 0 || comma > to) comma = to;
      const quote = text.indexOf('"', at);
      if (quote >= 0 && quote < comma) return false;
      fields.push(text.slice(at, comma));
      if (comma >= to) return true;
      at = comma + 1;
    }
  }
  // The rest: outside quotes every quote must open a field (follow a comma) and close before a
  // comma or the end of the line.
  for (;;) {
    let quote = text.indexOf('"', at);
    if (quote < 0 || quote >= to) return true;
    if (quote !== at && text.charCodeAt(quote - 1) !== 44) return false;
    for (;;) {
      quote = text.indexOf('"', quote + 1);
      if (quote < 0 || quote >= to) return false;
      if (quote + 1 >= to) return true;
      const after = text.charCodeAt(quote + 1);
      if (after === 44) break;
      if (after !== 34) return false;
      quote += 1;
    }
    at = quote + 2;
  }
}
