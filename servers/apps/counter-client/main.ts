// A client of the "counter" service: `counter-client [DELTA [TIMES]]` adds
// DELTA (default 1) TIMES times (default 1), one counter_add call each, then
// reads the counter back and prints it. Its task needs uses = "counter".
import { CounterAdd, CounterAddReply, CounterGet, CounterGetReply, Message, call, describeError, lookup, println } from "../../sdk/assembly";
import { intArg } from "../lib/args";

const PROG = "counter-client";

export function main(): i32 {
  const delta = intArg(PROG, 1, "DELTA", 1, i32.MIN_VALUE, i32.MAX_VALUE);
  const times = intArg(PROG, 2, "TIMES", 1, 0, 1000000);
  const counter = lookup("counter");
  if (counter < 0) {
    println(PROG + ": lookup counter: " + describeError(counter));
    return 1;
  }
  const m = Message.alloc();
  let last: i32 = 0;
  for (let i = 0; i < times; i++) {
    CounterAdd.init(m).delta = delta;
    const r = call(counter, m);
    if (r < 0) {
      println(PROG + ": counter_add: " + describeError(r));
      return 1;
    }
    last = CounterAddReply.at(m).value;
  }
  CounterGet.init(m);
  const r = call(counter, m);
  if (r < 0) {
    println(PROG + ": counter_get: " + describeError(r));
    return 1;
  }
  const value = CounterGetReply.at(m).value;
  // Another client may have added in between: say so rather than hide it.
  const note = times > 0 && value != last ? " (others added meanwhile)" : "";
  println(PROG + ": added " + delta.toString() + " x " + times.toString() + ", counter = " + value.toString() + note);
  return 0;
}
