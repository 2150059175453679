// Commands about services and the machine: lookup, ping, echo, uptime, mem,
// trace, clear, shutdown, reboot.
import {
  E_NOT_FOUND,
  E_TIMEOUT,
  Echo,
  EchoReply,
  Ping,
  PingReply,
  call,
  lookupTimeout,
  nowMs,
  nowNs,
  print,
  println,
  wasmos_mem_info,
  wasmos_system,
} from "../sdk/assembly";
import { describe, describeService } from "./errors";
import { msg } from "./services";
import { isHost, netPing } from "./net";

/** How long lookup/ping/echo wait for a name (a service started in the background may be a moment late). */
const NAME_WAIT_MS: i32 = 200;

/** wasmos.system operations (docs/userland.md). */
const SYS_POWER_OFF: i32 = 1;
const SYS_REBOOT: i32 = 2;
const SYS_TRACE_ON: i32 = 3;
const SYS_TRACE_OFF: i32 = 4;

/** The task providing `name` ("kernel" is task 0), or an error after printing it. */
function find(cmd: string, name: string): i32 {
  if (name == "kernel") return 0;
  let t = lookupTimeout(name, NAME_WAIT_MS);
  // Nobody registered the name in the time we gave it: to the user, it does not exist.
  if (t == E_TIMEOUT) t = E_NOT_FOUND;
  if (t < 0) println(cmd + ": " + name + ": " + describeService(t));
  return t;
}

export function lookupCmd(args: string[]): void {
  if (args.length != 2) {
    println("usage: lookup NAME");
    return;
  }
  const t = find("lookup", args[1]);
  if (t >= 0) println(args[1] + ": task " + t.toString());
}

let pings = 0;

export function ping(args: string[]): void {
  if (args.length >= 2 && isHost(args[1])) {
    netPing(args);
    return;
  }
  if (args.length > 2) {
    println("usage: ping [NAME]");
    return;
  }
  const name = args.length == 2 ? args[1] : "pong";
  const t = find("ping", name);
  if (t < 0) return;
  const value = ++pings;
  Ping.init(msg).value = value;
  const start = nowNs();
  const r = call(t, msg);
  const us = (nowNs() - start) / 1000;
  if (r < 0) {
    println("ping: " + name + ": " + describe(r));
    return;
  }
  const got = PingReply.at(msg).value;
  println("reply from " + name + " (task " + t.toString() + "): value " + got.toString() + " (sent " + value.toString() +
    "), " + us.toString() + " us");
}

export function echo(args: string[]): void {
  const text = args.slice(1).join(" ");
  const t = find("echo", "echo");
  if (t < 0) return;
  Echo.init(msg).set_data_string(text);
  const r = call(t, msg);
  if (r < 0) {
    println("echo: " + describe(r));
    return;
  }
  println(EchoReply.at(msg).data_string());
}

/** ms as "S.mmm". */
function seconds(ms: i64): string {
  const frac = (ms % 1000).toString();
  return (ms / 1000).toString() + "." + "000".substring(frac.length) + frac;
}

export function uptime(args: string[]): void {
  println("up " + seconds(nowMs()) + " s (guest time)");
}

const memOut = new StaticArray<u32>(4);

function kib(bytes: u32): string {
  return (bytes / 1024).toString() + " KiB";
}

export function mem(args: string[]): void {
  const r = wasmos_mem_info(changetype<usize>(memOut));
  if (r < 0) {
    println("mem: " + describe(r));
    return;
  }
  println("total " + kib(memOut[0]) + ", free " + kib(memOut[1]) + ", kernel heap " + kib(memOut[2]) + ", " +
    memOut[3].toString() + " tasks");
}

function system(cmd: string, op: i32): void {
  const r = wasmos_system(op);
  if (r < 0) println(cmd + ": " + describe(r));
}

export function trace(args: string[]): void {
  if (args.length == 2 && args[1] == "on") system("trace", SYS_TRACE_ON);
  else if (args.length == 2 && args[1] == "off") system("trace", SYS_TRACE_OFF);
  else println("usage: trace on|off");
}

export function clear(args: string[]): void {
  print("\x1b[2J\x1b[H");
}

export function shutdown(args: string[]): void {
  println("shutting down");
  system("shutdown", SYS_POWER_OFF);
}

export function reboot(args: string[]): void {
  println("rebooting");
  system("reboot", SYS_REBOOT);
}
