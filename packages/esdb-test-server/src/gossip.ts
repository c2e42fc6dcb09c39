import type { handleUnaryCall } from '@grpc/grpc-js';
import { gossip, type shared } from './proto';
import { newUuid, uuidToMessage } from './uuid';

/**
 * Gossip.Read: a one-node cluster whose only member is an alive leader at this server's own address,
 * enough for `esdb+discover://` connection strings to find it.
 */
export const gossipHandler = (
  host: string,
  port: () => number,
): handleUnaryCall<shared.Empty, gossip.ClusterInfo> => {
  const instanceId = newUuid();
  return (_call, callback) => {
    const member = new gossip.MemberInfo()
      .setInstanceId(uuidToMessage(instanceId, false))
      .setTimeStamp((BigInt(Date.now()) * 10_000n).toString())
      .setState(gossip.MemberInfo.VNodeState.LEADER)
      .setIsAlive(true)
      .setHttpEndPoint(new gossip.EndPoint().setAddress(host).setPort(port()));
    callback(null, new gossip.ClusterInfo().setMembersList([member]));
  };
};
