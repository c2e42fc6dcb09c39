import { rpcStatus, shared } from './proto';

/*
 * google-protobuf ships no types, and its @types package is only reachable from the client's own folder.
 * The two well-known messages the server builds (`Any`, `google.protobuf.Empty`) are therefore obtained,
 * fully typed, by decoding a generated message in which that field is present and empty.
 */

export type AnyMessage = NonNullable<ReturnType<rpcStatus.Status['getDetails']>>;
export type EmptyMessage = NonNullable<ReturnType<shared.WrongExpectedVersion['getCurrentNoStream']>>;

/** Status.details is field 3 (length-delimited, tag 0x1a). */
export const emptyAny = (): AnyMessage =>
  rpcStatus.Status.deserializeBinary(Uint8Array.of(0x1a, 0x00)).getDetails()!;

/** WrongExpectedVersion.current_no_stream is field 2 (tag 0x12), a google.protobuf.Empty. */
export const googleEmpty = (): EmptyMessage =>
  shared.WrongExpectedVersion.deserializeBinary(Uint8Array.of(0x12, 0x00)).getCurrentNoStream()!;
