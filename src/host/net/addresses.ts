// QEMU user-mode networking's addresses (slirp defaults), so guests written for
// `-netdev user` work unchanged.
import { ip } from './bytes.ts';
import { parseMac } from '../../board/devices/virtio/net.ts';

export const NETWORK = ip('10.0.2.0');
export const NETMASK = ip('255.255.255.0');
/** The gateway, which is also "the host" (connections to it go to 127.0.0.1). */
export const GATEWAY_IP = ip('10.0.2.2');
export const DNS_IP = ip('10.0.2.3');
/** The address the DHCP server hands out. */
export const GUEST_IP = ip('10.0.2.15');
export const BROADCAST_IP = ip('255.255.255.255');
export const SUBNET_BROADCAST_IP = ip('10.0.2.255');
/** What slirp answers ARP with for its virtual hosts. */
export const GATEWAY_MAC = parseMac('52:55:0a:00:02:02');
export const BROADCAST_MAC = parseMac('ff:ff:ff:ff:ff:ff');
/** The DHCP lease, seconds (QEMU's is 24 h too). */
export const LEASE_SECONDS = 86400;

/** True for the addresses the gateway itself answers (ARP, ICMP echo). */
export function isGatewayAddress(addr: number): boolean {
  return addr === GATEWAY_IP || addr === DNS_IP;
}
