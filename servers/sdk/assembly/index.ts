// The WasmOS SDK for AssemblyScript: import what you need from here.
//   import { Message, Ping, call, lookup, println } from "../../sdk/assembly";
// docs/sdk.md describes it with complete examples.
export * from "./message";
export * from "./messages";
export * from "./ipc";
export * from "./service";
export * from "./console";
export * from "./errors";
export * from "./task";
export * from "./time";
export * from "./imports";
