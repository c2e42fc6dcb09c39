import type { handleUnaryCall } from '@grpc/grpc-js';
import { features, type shared } from './proto';

/** The server version it reports; the client only logs it. */
export const serverVersion = '23.10.0-duban-test';

/**
 * ServerFeatures.GetSupportedMethods: the client asks once per connection and uses BatchAppend for
 * appends only if it is listed here. `paths` are gRPC method paths such as `/pkg.Service/Method`.
 */
export const supportedMethodsHandler =
  (paths: readonly string[]): handleUnaryCall<shared.Empty, features.SupportedMethods> =>
  (_call, callback) => {
    const methods = paths.map((path) => {
      const [, service = '', method = ''] = path.split('/');
      return new features.SupportedMethod().setServiceName(service).setMethodName(method);
    });
    callback(
      null,
      new features.SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(serverVersion),
    );
  };
