/**
 * Bytes of a string in UTF-8, counted without encoding it and without Node's Buffer, so the engine
 * runs wherever standard JavaScript does. A lone surrogate counts 3, as it is written (U+FFFD).
 */
export const utf8Length = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i += 1;
    } else n += 3;
  }
  return n;
};
