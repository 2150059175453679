/* The kernel's view of a task. Tasks are kernel threads: each has its own
 * kernel stack and runs in S-mode; switching between them is switching stacks. */
#ifndef CORE_TASK_H
#define CORE_TASK_H

#include <stdint.h>
#include <stdbool.h>
#include "lib/list.h"
#include "wasmos/task.h"
#include "wasmos/msg.h"

#define MAX_TASKS 128          /* task table slots; ids are slot + k * MAX_TASKS */
#define TASK_EXITED_FIFO 16

/* Internal states: the public TASK_STATE_* plus a few kernel-only ones. */
enum {
	T_RUNNABLE = TASK_STATE_RUNNABLE,
	T_SEND = TASK_STATE_SEND,
	T_RECV = TASK_STATE_RECV,
	T_REPLY = TASK_STATE_REPLY,
	T_SLEEP = TASK_STATE_SLEEP,
	T_ZOMBIE = TASK_STATE_EXITED,
	T_LOOKUP = 6, /* waiting for a service name to be registered */
	T_IDLE = 7,
};

struct name_set;
struct task_alloc_hdr;

struct task {
	/* Read by the trap entry and the context switch (assembly): keep first. */
	uintptr_t stack_limit;  /* lowest sp a trap may push a frame below (+ reserve) */
	uintptr_t saved_sp;     /* while switched out */

	int32_t id;
	int32_t parent;
	uint8_t state;
	uint8_t prio;
	bool fp_saved;          /* f[] holds the task's FP registers */
	bool calling;           /* the pending send is an ipc_call's request */
	char name[TASK_NAME_MAX];

	struct list run_link;     /* ready queue */
	struct list wait_link;    /* a receiver's sender queue, or the service waiters */
	struct list timeout_link; /* the deadline-ordered timeout list */
	struct list timer_link;   /* the timer_set() list */
	uint64_t deadline;        /* of the current blocking wait */
	uint64_t timer_deadline;
	uint64_t slice_end;

	/* IPC state while blocked. */
	int32_t peer;             /* SEND/REPLY: who we wait on; RECV: the `from` filter */
	const struct msg *sbuf;
	uint32_t slen;
	struct msg *rbuf;
	uint32_t rcap;
	int32_t result;           /* set by whoever wakes us */
	const char *wait_name;    /* T_LOOKUP: the service name */
	struct list senders;      /* tasks blocked sending to us, FIFO */

	/* Notifications. */
	uint32_t notify_bits;
	uint32_t irq_pending[3];
	uint32_t n_exited, exited_lost;
	struct { int32_t task, reason; } exited[TASK_EXITED_FIFO];

	/* Access control. */
	uint32_t flags;                 /* TASKF_* */
	struct name_set *uses, *provides;
	uint32_t send_ok[MAX_TASKS / 32]; /* slots we may send to (looked up, or they sent to us) */
	struct dev_grant *devs;
	uint32_t n_devs;
	uint32_t dma_used;

	/* Memory. */
	uintptr_t stack_bottom, stack_top;
	uint32_t stack_pages;     /* 0 for the boot/idle thread */
	struct list allocs;       /* task_alloc blocks */
	struct list dma;          /* dev_dma_alloc blocks */
	uint32_t mem_bytes, mem_limit;

	/* Accounting. */
	uint64_t instret, instret_in;
	uint32_t switches;

	task_entry_t entry;
	void *arg;
	void (*cleanup)(void *arg);
	int32_t exit_reason;

	uint64_t f[32];
	uint32_t fcsr;
};

#define TASK_SP_OFFSET_LIMIT 0
#define TASK_SP_OFFSET_SAVED 4

static inline struct task *current_task(void)
{
	struct task *t;
	__asm__("mv %0, tp" : "=r"(t));
	return t;
}

static inline uint32_t task_slot(int32_t id) { return (uint32_t)id % MAX_TASKS; }
extern struct task *task_table[MAX_TASKS];
/* id -> task, NULL if no live task has this id. */
static inline struct task *task_lookup(int32_t id)
{
	if (id <= 0)
		return 0;
	struct task *t = task_table[task_slot(id)];
	return t && t->id == id ? t : 0;
}
/* Calls fn for every live task (interrupts off). */
void task_for_each(void (*fn)(struct task *t, void *ctx), void *ctx);
/* The boot thread becomes the idle task. */
void task_init_boot(void);
struct task *idle_task(void);
/* Creates a task without a parent and with every right (the kernel's own tasks: init, tests). */
int task_create_root(const struct task_spec *spec);
/*
 * Memory a spawner prepares for a task it is about to create (a Wasm module and
 * its instance): allocated with task_alloc_unlimited after taking a mark, it is
 * charged to the spawner (the caller bounds it, not the spawner's mem_limit) and
 * freed with it if it dies first; task_create_adopting then moves every
 * allocation made since the mark to the new task, atomically with its creation.
 */
void *task_alloc_unlimited(uint32_t size);
struct list *task_alloc_mark(void);
/* Bytes charged for the allocations made since the mark. */
uint32_t task_alloc_bytes_since(struct list *mark);
int task_create_adopting(const struct task_spec *spec, struct list *mark);
/* Destroys t for `reason`; when t is the current task this does not return. */
void task_destroy(struct task *t, int32_t reason);
void task_reap_zombies(void);
/* Nonzero while exited tasks wait for their stacks to be freed. */
extern uint32_t task_zombies_pending;
uint32_t task_count(void);

#endif
