/* Tasks: kernel threads, each on its own kernel stack (with a guard page below),
 * running a C entry function (kernel tests) or a Wasm instance (the runtime's
 * entry function). There is no user mode: isolation of Wasm tasks comes from
 * the runtime's checks. */
#ifndef WASMOS_TASK_H
#define WASMOS_TASK_H

#include <stdint.h>
#include "wasmos/device.h"

#define TASK_NAME_MAX 24
#define TASK_PRIO_LOWEST  1
#define TASK_PRIO_DEFAULT 4
#define TASK_PRIO_HIGHEST 7

#define TASK_STACK_DEFAULT (16u * 1024)
#define TASK_STACK_MAX     (256u * 1024)

/* Exit reasons: 0 and positive numbers are the task's own exit codes. */
#define EXIT_OK              0
#define EXIT_KILLED        (-1)  /* task_kill() */
#define EXIT_FAULT         (-2)  /* a CPU exception in the task's code */
#define EXIT_STACK_OVERFLOW (-3) /* ran into the guard page under its stack */
#define EXIT_WASM_TRAP     (-4)  /* the Wasm runtime trapped (unreachable, bounds...) */
#define EXIT_NO_MEMORY     (-5)

/* Flags of struct task_spec. */
#define TASKF_ALL_DEVICES (1u << 0) /* may touch and grant every device (init) */
#define TASKF_KILL_ANY    (1u << 1) /* may kill tasks other than its children */
#define TASKF_SYSTEM      (1u << 2) /* may power off, reboot, switch tracing (wasmos.system) */
#define TASKF_ALL         (TASKF_ALL_DEVICES | TASKF_KILL_ANY | TASKF_SYSTEM)

typedef void (*task_entry_t)(void *arg);

struct task_spec {
	const char *name;
	task_entry_t entry;
	void *arg;
	/* Runs once when the task is destroyed, with interrupts off, on another
	 * task's stack: release what the entry's arg held. Must not block. */
	void (*cleanup)(void *arg);
	int priority;          /* TASK_PRIO_LOWEST..HIGHEST; 0 = default */
	uint32_t stack_size;   /* bytes, 0 = TASK_STACK_DEFAULT */
	/* Access control, as comma-separated service names ("*" = every name; NULL = none).
	 * A spawner can only grant what it holds itself. */
	const char *uses;      /* names it may look up and then send to */
	const char *provides;  /* names it may register */
	const struct dev_grant *devices;
	uint32_t n_devices;
	uint32_t flags;        /* TASKF_* (only a holder can pass them on) */
	uint32_t mem_limit;    /* cap on task_alloc bytes, 0 = none */
};

/* Creates a runnable task. Returns its id (> 0) or an error. The creator is
 * its parent: it may kill it and is notified (NOTIFY_TASK_EXITED) when it exits. */
int task_create(const struct task_spec *spec);
__attribute__((noreturn)) void task_exit(int32_t reason);
/* Destroys a child (or any task, with TASKF_KILL_ANY); E_DENIED otherwise. */
int task_kill(int id, int32_t reason);
int task_self(void);
void task_yield(void);
/* Sleeps (a timed wait that no message ends). Returns 0. */
int task_sleep(uint32_t ms);
/* Arms (ms > 0) or cancels (0) this task's one-shot timer: NOTIFY_TIMER when it expires. */
int timer_set(uint32_t ms);

/* Memory owned by the calling task, freed when it exits. NULL when out of memory. */
void *task_alloc(uint32_t size);
void *task_realloc(void *p, uint32_t size);
void task_free(void *p);

/* What the UI's task list shows; see also the trace's TASK_STATS record. */
struct task_info {
	int32_t id, parent;
	char name[TASK_NAME_MAX];
	int32_t state;        /* TASK_STATE_* */
	int32_t priority;
	uint64_t instret;     /* instructions run by the task */
	uint32_t mem_bytes;   /* stack + task_alloc memory */
	uint32_t switches;    /* times it was switched in */
};
#define TASK_STATE_RUNNABLE 0
#define TASK_STATE_SEND     1 /* blocked sending */
#define TASK_STATE_RECV     2 /* blocked receiving */
#define TASK_STATE_REPLY    3 /* blocked in ipc_call, waiting for the reply */
#define TASK_STATE_SLEEP    4 /* task_sleep, or waiting for a service */
#define TASK_STATE_EXITED   5

int task_info(int id, struct task_info *out);

/* Guest time since boot, from the timer's timebase. */
uint64_t kernel_time_us(void);

#endif
