// The host side of the guest's network card: see docs/net.md.
export { UserNet, type TcpConnector, type TcpTarget, type UserNetOptions, type UserNetStats } from './user-net.ts';
export { PcapWriter } from './pcap.ts';
export { StaticResolver, DohResolver, ChainResolver, type DnsResolver } from './dns-resolver.ts';
export type { TcpStream, TcpStreamHandler, CloseReason, TcpState } from './tcp-connection.ts';
export * from './addresses.ts';
export { FetchConnector, type FetchConnectorOptions } from './fetch-connector.ts';
export { SniffingConnector } from './sniff-connector.ts';
export { WispConnector, type WispConnectorOptions, type WebSocketLike } from './wisp-connector.ts';
