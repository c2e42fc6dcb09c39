import { randomUUID } from 'node:crypto';
import { shared } from './proto';

/**
 * UUIDs travel either as a string or as two int64s (most/least significant bits, as decimal strings).
 * The client sends strings; the real server accepts both and answers in the form the reader asked for.
 */
export const uuidFromMessage = (uuid: shared.UUID | undefined): string | undefined => {
  if (!uuid) return undefined;
  if (uuid.hasStructured()) {
    const s = uuid.getStructured()!;
    const hex =
      BigInt.asUintN(64, BigInt(s.getMostSignificantBits())).toString(16).padStart(16, '0') +
      BigInt.asUintN(64, BigInt(s.getLeastSignificantBits())).toString(16).padStart(16, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return uuid.getString().toLowerCase();
};

export const uuidToMessage = (id: string, structured: boolean): shared.UUID => {
  const uuid = new shared.UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  const bits = new shared.UUID.Structured()
    .setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString())
    .setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString());
  return uuid.setStructured(bits);
};

export const newUuid = (): string => randomUUID();
