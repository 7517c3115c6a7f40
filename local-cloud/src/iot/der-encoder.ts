/**
 * A minimal ASN.1 DER encoder: just the types an X.509 v3 certificate needs. Node can sign and
 * parse certificates but not build them, so the local cloud assembles the bytes itself.
 */

const encodeLength = (length: number): Buffer => {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};

/** One tag-length-value element. */
export const derElement = (tag: number, content: Buffer): Buffer =>
  Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);

export const derSequence = (...items: Buffer[]): Buffer => derElement(0x30, Buffer.concat(items));

export const derSet = (...items: Buffer[]): Buffer => derElement(0x31, Buffer.concat(items));

/** A non-negative INTEGER from big-endian magnitude bytes (a leading zero keeps it positive). */
export const derUnsignedInteger = (magnitude: Buffer): Buffer => {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
  const trimmed = magnitude.subarray(start);
  const needsPad = ((trimmed[0] ?? 0) & 0x80) !== 0;
  return derElement(0x02, needsPad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
};

export const derSmallInteger = (value: number): Buffer => derUnsignedInteger(Buffer.from([value]));

export const derNull = (): Buffer => Buffer.from([0x05, 0x00]);

/** An OBJECT IDENTIFIER from dotted notation (`1.2.840.113549.1.1.11`). */
export const derObjectIdentifier = (dotted: string): Buffer => {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return derElement(0x06, Buffer.from(bytes));
};

export const derUtf8String = (text: string): Buffer => derElement(0x0c, Buffer.from(text, "utf8"));

const twoDigits = (value: number): string => String(value).padStart(2, "0");

/**
 * A certificate validity time: UTCTime for years before 2050, GeneralizedTime from 2050 on, as
 * RFC 5280 requires.
 */
export const derTime = (date: Date): Buffer => {
  const year = date.getUTCFullYear();
  const rest = `${twoDigits(date.getUTCMonth() + 1)}${twoDigits(date.getUTCDate())}${twoDigits(date.getUTCHours())}${twoDigits(date.getUTCMinutes())}${twoDigits(date.getUTCSeconds())}Z`;
  return year < 2050
    ? derElement(0x17, Buffer.from(`${twoDigits(year % 100)}${rest}`, "ascii"))
    : derElement(0x18, Buffer.from(`${year}${rest}`, "ascii"));
};

/** A BIT STRING with no unused bits (signatures, public keys). */
export const derBitString = (content: Buffer): Buffer => derElement(0x03, Buffer.concat([Buffer.from([0]), content]));

/** A BOOLEAN (`cA TRUE` in basicConstraints, the `critical` flag of an extension). */
export const derBoolean = (value: boolean): Buffer => Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);

/** An OCTET STRING (extension values, key identifiers). */
export const derOctetString = (content: Buffer): Buffer => derElement(0x04, content);

/** An IMPLICIT context-specific primitive `[n]` (a subjectAltName's dNSName [2] or iPAddress [7]). */
export const derImplicitPrimitive = (tagNumber: number, content: Buffer): Buffer => derElement(0x80 | tagNumber, content);

/** An EXPLICIT context-specific tag `[n]` wrapping one element. */
export const derExplicit = (tagNumber: number, content: Buffer): Buffer => derElement(0xa0 | tagNumber, content);

/** Wraps DER bytes as PEM with the given label (`CERTIFICATE`, ...). */
export const toPem = (label: string, der: Buffer): string => {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
};
