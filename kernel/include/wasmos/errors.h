/* Error codes returned by every kernel call (negative numbers; 0 or more is success). */
#ifndef WASMOS_ERRORS_H
#define WASMOS_ERRORS_H

#define E_OK           0
#define E_NO_TASK     (-1)  /* no task has this id (never existed, or exited) */
#define E_EXITED      (-2)  /* the peer exited (or was killed) while we waited for it */
#define E_WOULD_BLOCK (-3)  /* non-blocking call (timeout 0, reply) could not complete now */
#define E_TOO_LARGE   (-4)  /* message over 1512 bytes, or larger than the receiver's buffer */
#define E_BAD_POINTER (-5)  /* buffer is NULL, misaligned, or not writable/mapped kernel memory */
#define E_DEADLOCK    (-6)  /* the send would close a cycle of tasks waiting on each other */
#define E_TIMEOUT     (-7)  /* the timeout expired first */
#define E_DENIED      (-8)  /* access control: not granted to this task */
#define E_NO_MEMORY   (-9)  /* out of memory (or over the task's memory limit) */
#define E_INVALID     (-10) /* a bad argument: length, flags, name, priority... */
#define E_NOT_FOUND   (-11) /* no service by that name */
#define E_EXISTS      (-12) /* the name, IRQ or resource is already taken */
#define E_BAD_MODULE  (-13) /* a Wasm module is invalid, imports what WasmOS lacks, or has no entry point */

#define E_MIN (-13)

/* A short name for an error code ("E_TIMEOUT"), or "E_?" for unknown ones. */
const char *err_name(int err);

#endif
