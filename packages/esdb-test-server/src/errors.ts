import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { rpcStatus, shared } from './proto';
import { emptyAny, googleEmpty } from './well-known';
import type { ExpectedVersion } from './log';

/**
 * The two error channels of EventStoreDB's gRPC API, shaped as the real server shapes them:
 * - RPC errors whose trailers carry an `exception` key the client maps to its error classes;
 * - `google.rpc.Status` values inside BatchAppend responses, whose `details` is an `Any` packing one of
 *   the `event_store.client.*` messages.
 */

const trailerError = (code: status, details: string, trailers: Record<string, string>): ServiceError => {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
};

export const maxAppendSizeExceededError = (maxAppendSize: number): ServiceError =>
  trailerError(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(maxAppendSize),
  });

export const requiredMetadataMissingError = (property: string): ServiceError =>
  trailerError(status.INVALID_ARGUMENT, `Required Metadata Property '${property}' is missing`, {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': 'type,content-type',
  });

export const invalidArgumentError = (details: string): ServiceError =>
  trailerError(status.INVALID_ARGUMENT, details, {});

// google.rpc.Code values used below (the enum lives in the generated code_pb module).
const codeInvalidArgument = 3;
const codeAlreadyExists = 6;

const statusWith = (
  code: number,
  message: string,
  detail: { serializeBinary(): Uint8Array },
  type: string,
) => {
  const details = emptyAny();
  details.pack(detail.serializeBinary(), `event_store.client.${type}`);
  return new rpcStatus.Status().setCode(code).setMessage(message).setDetails(details);
};

/** `current` undefined means the stream does not exist. */
export const wrongExpectedVersionStatus = (
  current: bigint | undefined,
  expected: ExpectedVersion,
): rpcStatus.Status => {
  const detail = new shared.WrongExpectedVersion();
  if (current === undefined) detail.setCurrentNoStream(googleEmpty());
  else detail.setCurrentStreamRevision(current.toString());
  switch (expected.kind) {
    case 'any':
      detail.setExpectedAny(googleEmpty());
      break;
    case 'no_stream':
      detail.setExpectedNoStream(googleEmpty());
      break;
    case 'stream_exists':
      detail.setExpectedStreamExists(googleEmpty());
      break;
    case 'revision':
      detail.setExpectedStreamPosition(expected.revision.toString());
      break;
  }
  return statusWith(codeAlreadyExists, 'WrongExpectedVersion', detail, 'WrongExpectedVersion');
};

export const maxAppendSizeExceededStatus = (maxAppendSize: number): rpcStatus.Status =>
  statusWith(
    codeInvalidArgument,
    'MaximumAppendSizeExceeded',
    new shared.MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize),
    'MaximumAppendSizeExceeded',
  );

export const badRequestStatus = (message: string): rpcStatus.Status =>
  statusWith(codeInvalidArgument, 'BadRequest', new shared.BadRequest().setMessage(message), 'BadRequest');
