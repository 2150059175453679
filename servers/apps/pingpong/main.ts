// IPC benchmark between two Wasm tasks: `pingpong [ROUNDS]` looks up "pong"
// and makes ROUNDS (default 1000) ping round trips to it, checking each answer,
// then prints the guest time and its own instructions per round trip, and the
// machine-readable line `pingpong: rounds=N ns_per_round=X` (bench scripts
// parse it). A module cannot read files, so the other end is the pong service
// rather than a copy of itself. Its task needs uses = "pong".
import { Message, Ping, PingReply, call, describeError, instructions, lookup, nowNs, println } from "../../sdk/assembly";
import { intArg } from "../lib/args";

const PROG = "pingpong";

export function main(): i32 {
  const rounds = intArg(PROG, 1, "ROUNDS", 1000, 1, 10000000);
  const pong = lookup("pong");
  if (pong < 0) {
    println(PROG + ": lookup pong: " + describeError(pong));
    return 1;
  }
  const m = Message.alloc();
  // One warm-up round trip: the first call also pays for pong's first recv.
  Ping.init(m).value = -1;
  const w = call(pong, m);
  if (w < 0) {
    println(PROG + ": ping: " + describeError(w));
    return 1;
  }

  const t0 = nowNs();
  const i0 = instructions();
  for (let i = 0; i < rounds; i++) {
    Ping.init(m).value = i;
    const r = call(pong, m);
    if (r < 0) {
      println(PROG + ": ping " + i.toString() + ": " + describeError(r));
      return 1;
    }
    if (PingReply.at(m).value != i) {
      println(PROG + ": ping " + i.toString() + " answered with " + PingReply.at(m).value.toString());
      return 1;
    }
  }
  const ns = nowNs() - t0;
  const insns = instructions() - i0;

  const perRound = ns / <i64>rounds;
  println(
    PROG + ": " + rounds.toString() + " round trips with task " + pong.toString() + " in " + (ns / 1000).toString() +
      " us of guest time, " + perRound.toString() + " ns each; this task ran " + insns.toString() +
      " instructions (" + (insns / <i64>rounds).toString() + " per round trip)",
  );
  println(PROG + ": rounds=" + rounds.toString() + " ns_per_round=" + perRound.toString());
  return 0;
}
