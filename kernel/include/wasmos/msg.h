/*
 * The WasmOS message: the wire layout every task speaks, kernel included.
 *
 *   offset 0  i32 type   what the message is; a reply is type + 1, negative = error
 *   offset 4  i32 src    sender's task id, written by the kernel (never trusted)
 *   offset 8  payload    up to 1504 bytes
 *
 * Messages live in the sender's and the receiver's own buffers (4-byte aligned);
 * the kernel copies once, straight from one to the other.
 */
#ifndef WASMOS_MSG_H
#define WASMOS_MSG_H

#include <stdint.h>

#define MSG_MAX         1512
#define MSG_HEADER      8
#define MSG_PAYLOAD_MAX (MSG_MAX - MSG_HEADER)

struct msg {
	int32_t type;
	int32_t src;
	uint8_t payload[MSG_PAYLOAD_MAX];
};

/* Task id 0 is the kernel itself: it sends notifications and answers the
 * messages below when they are sent (ipc_call) to task 0. */
#define TASK_KERNEL 0
/* ipc_recv's `from`: accept a message from anyone, kernel notifications included. */
#define IPC_ANY (-1)

/* Message types the kernel knows. */
#define MSG_NOTIFY               1  /* kernel -> task: payload struct notify_payload */
#define MSG_PING                 9  /* -> 10, payload echoed */
#define MSG_PING_REPLY          10
#define MSG_SERVICE_LOOKUP      15  /* payload: name (NUL-terminated, in a 64-byte field); waits as the call allows */
#define MSG_SERVICE_LOOKUP_REPLY 16 /* payload: i32 task id */
#define MSG_SERVICE_REGISTER    17  /* payload: name (NUL-terminated, in a 64-byte field) */
#define MSG_SERVICE_REGISTER_REPLY 18
#define MSG_REPLY_TYPE(t) ((t) + 1)

/* Notification bits (ipc_notify, and the kernel's own). */
#define NOTIFY_TIMER       (1u << 0) /* the task's timer_set() deadline passed */
#define NOTIFY_IRQ         (1u << 1) /* a granted IRQ fired: see notify_payload.irqs */
#define NOTIFY_TASK_EXITED (1u << 2) /* a child exited: see notify_payload.exited */
#define NOTIFY_ASYNC       (1u << 3) /* "I have something for you": call me to fetch it */
#define NOTIFY_USER_SHIFT  8          /* bits 8..31 are free for tasks to agree on */

#define NOTIFY_MAX_EXITED 8

struct notify_payload {
	uint32_t bits;
	uint32_t irqs[3];  /* bit n of word n/32: PLIC source n fired (NOTIFY_IRQ) */
	uint32_t n_exited; /* entries used in exited[] (more wait for the next notification) */
	struct {
		int32_t task;
		int32_t reason;
	} exited[NOTIFY_MAX_EXITED];
};

#endif
