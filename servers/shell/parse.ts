// The shell's line parser: splits a command line into words. Kept apart from
// the rest of the shell (it imports nothing) so tests can compile it alone.
//
// Rules, close to a POSIX shell's but smaller:
// - spaces and tabs separate words;
// - "double quotes" group a word; inside them a backslash escapes the next
//   character (\" \\), \n and \t are a newline and a tab;
// - 'single quotes' group a word with no escapes at all;
// - outside quotes a backslash makes the next character literal (\  is a
//   space inside a word), \n and \t as above;
// - an unquoted `&` ending the line asks for a background run; it may stand
//   alone ("hello &") or end the last word ("hello&").

/** The result of parseLine: the words, or an error message for a malformed line. */
export class ParsedLine {
  words: string[] = [];
  /** The line ended in an unquoted `&`. */
  background: bool = false;
  /** Empty when the line parsed; otherwise what is wrong with it. */
  error: string = "";
}

const SPACE: i32 = 0x20;
const TAB: i32 = 0x09;
const DQUOTE: i32 = 0x22;
const SQUOTE: i32 = 0x27;
const BACKSLASH: i32 = 0x5c;
const AMP: i32 = 0x26;

/** The character a backslash followed by c stands for. */
function escaped(c: i32): string {
  if (c == 0x6e) return "\n"; // \n
  if (c == 0x74) return "\t"; // \t
  return String.fromCharCode(c);
}

export function parseLine(line: string): ParsedLine {
  const out = new ParsedLine();
  let word = "";
  // A word exists once any character (or a pair of quotes, even empty) was seen.
  let inWord = false;
  // Whether the word's last character came out of quotes or an escape: such a
  // `&` is text, not the background marker.
  let lastLiteral = false;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c == SPACE || c == TAB) {
      if (inWord) {
        out.words.push(word);
        word = "";
        inWord = false;
      }
      i++;
      continue;
    }
    inWord = true;
    if (c == DQUOTE) {
      i++;
      let closed = false;
      while (i < n) {
        const d = line.charCodeAt(i);
        if (d == DQUOTE) {
          closed = true;
          i++;
          break;
        }
        if (d == BACKSLASH && i + 1 < n) {
          word += escaped(line.charCodeAt(i + 1));
          i += 2;
          continue;
        }
        word += String.fromCharCode(d);
        i++;
      }
      if (!closed) {
        out.error = "unterminated double quote";
        return out;
      }
      lastLiteral = true;
      continue;
    }
    if (c == SQUOTE) {
      const end = line.indexOf("'", i + 1);
      if (end < 0) {
        out.error = "unterminated single quote";
        return out;
      }
      word += line.substring(i + 1, end);
      i = end + 1;
      lastLiteral = true;
      continue;
    }
    if (c == BACKSLASH) {
      if (i + 1 >= n) {
        out.error = "a backslash ends the line";
        return out;
      }
      word += escaped(line.charCodeAt(i + 1));
      i += 2;
      lastLiteral = true;
      continue;
    }
    word += String.fromCharCode(c);
    lastLiteral = false;
    i++;
  }
  if (inWord) out.words.push(word);

  // The background marker: a bare `&` as the last character of the line.
  const count = out.words.length;
  if (count > 0 && !lastLiteral) {
    const last = out.words[count - 1];
    if (last.length > 0 && last.charCodeAt(last.length - 1) == AMP) {
      out.background = true;
      if (last.length == 1) out.words.pop();
      else out.words[count - 1] = last.substring(0, last.length - 1);
    }
  }
  return out;
}
