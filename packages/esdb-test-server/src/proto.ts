/**
 * The protoc-generated messages and service definitions that ship with `@eventstore/db-client`. The test
 * server is built on these so that it speaks exactly the wire format the real client expects.
 */
export * as streams from '@eventstore/db-client/generated/streams_pb';
export * as shared from '@eventstore/db-client/generated/shared_pb';
export * as rpcStatus from '@eventstore/db-client/generated/status_pb';
export * as features from '@eventstore/db-client/generated/serverfeatures_pb';
export * as gossip from '@eventstore/db-client/generated/gossip_pb';
export { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
export { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
export { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
