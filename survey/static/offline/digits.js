// Digits of any script (Thai ๒๕, Myanmar ၂၅, ...) as ASCII, like Python's int() reads them.
const DIGIT = /\p{Nd}/u;

function digitValue(char) {
  let start = char.codePointAt(0);
  while (DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  return (char.codePointAt(0) - start) % 10;
}

export function asciiDigits(text) {
  return text.replace(/\p{Nd}/gu, (char) => String(digitValue(char)));
}
