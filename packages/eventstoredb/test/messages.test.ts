import { AccessDeniedError, NotLeaderError, UnknownError } from '@eventstore/db-client';
import { describeCause, describeTarget } from '../src/errors';

type ServiceError = ConstructorParameters<typeof NotLeaderError>[0];

/** An error shaped as grpc-js shapes its call errors: `code`, `details`, and a message of both. */
const grpcError = (code: number, name: string, details: string, trailers: Record<string, string> = {}) =>
  Object.assign(new Error(`${code} ${name}: ${details}`), {
    code,
    details,
    metadata: { getMap: () => trailers },
  }) as unknown as ServiceError;

describe('messages: the server, named without credentials', () => {
  it.each([
    ['esdb://admin:changeit@esdb.internal:2113?tls=true', 'esdb://esdb.internal:2113?tls=true'],
    // The client reads the password up to the first `@`, so `/` and `?` may be in it.
    ['esdb+discover://duban:pa/ss?w0rd@cluster.internal:2113', 'esdb+discover://cluster.internal:2113'],
    ['esdb://admin:secret@node1:2113,node2:2113?tls=false', 'esdb://node1:2113,node2:2113?tls=false'],
    ['esdb://duban@esdb.internal:2113', 'esdb://esdb.internal:2113'],
    [' esdb://localhost:2113?tls=false ', 'esdb://localhost:2113?tls=false'],
  ])('%s is named %s', (connection, named) => {
    expect(describeTarget(connection)).toBe(`EventStoreDB at ${named}`);
  });

  it('says only "EventStoreDB" for a client built elsewhere (its connection string is not known)', () => {
    expect(describeTarget(undefined)).toBe('EventStoreDB');
  });
});

describe('messages: the cause, named in clean words', () => {
  it('drops the status prefix, the nested "Error: " and an empty "Resolution note: " (no "note: )")', () => {
    const details =
      'No connection established. Last error: Error: connect ECONNREFUSED 10.0.0.5:2113. Resolution note: ';
    expect(describeCause(grpcError(14, 'UNAVAILABLE', details))).toBe(
      'unavailable (No connection established. Last error: connect ECONNREFUSED 10.0.0.5:2113)',
    );
  });

  it('keeps a resolution note that says something', () => {
    const details =
      'No connection established. Last error: null. Resolution note: DNS resolution failed for esdb.internal:2113';
    expect(describeCause(grpcError(14, 'UNAVAILABLE', details))).toBe(
      'unavailable (No connection established. Last error: null. Resolution note: DNS resolution failed for esdb.internal:2113)',
    );
  });

  it("names the gRPC status when the client's error type is 'unknown'", () => {
    const raw = grpcError(
      13,
      'INTERNAL',
      'Received RST_STREAM with code 2 triggered by internal client error: Session closed with error code 2',
    );
    expect(describeCause(new UnknownError(raw))).toBe(
      'internal error (Received RST_STREAM with code 2 triggered by internal client error: Session closed with error code 2)',
    );
    expect(describeCause(grpcError(4, 'DEADLINE_EXCEEDED', 'Deadline exceeded after 10.002s'))).toBe(
      'deadline exceeded (Deadline exceeded after 10.002s)',
    );
  });

  it("uses the client's error type, without repeating it, and names the leader a follower points to", () => {
    expect(describeCause(new AccessDeniedError(grpcError(7, 'PERMISSION_DENIED', 'Access Denied')))).toBe(
      'access denied',
    );
    const notLeader = grpcError(5, 'NOT_FOUND', 'Leader info available', {
      'leader-endpoint-host': 'node2.internal',
      'leader-endpoint-port': '2113',
    });
    expect(describeCause(new NotLeaderError(notLeader))).toBe(
      'not leader (Leader info available); the leader is node2.internal:2113',
    );
  });
});
