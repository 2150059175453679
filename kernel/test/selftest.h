/* The kernel self-test (bootarg "selftest"): shared helpers of the test files. */
#ifndef TEST_SELFTEST_H
#define TEST_SELFTEST_H

#include <stdint.h>
#include <stdbool.h>
#include "wasmos/errors.h"
#include "wasmos/ipc.h"
#include "wasmos/service.h"
#include "wasmos/task.h"
#include "wasmos/device.h"
#include "core/console.h"

void st_check(bool ok, const char *what, const char *file, int line);
void st_check_eq(long long got, long long want, const char *what, const char *file, int line);

#define CHECK(c) st_check((c), #c, __FILE__, __LINE__)
#define CHECK_EQ(got, want) st_check_eq((long long)(got), (long long)(want), #got, __FILE__, __LINE__)

/* Starts a helper task (a child of the running test task); uses NULL means "*". */
int st_spawn(const char *name, task_entry_t fn, void *arg, int prio, const char *uses, const char *provides);
int st_spawn_spec(const struct task_spec *spec);
/* Waits (receiving kernel notifications) until child `id` has exited; its reason, or E_TIMEOUT. */
int32_t st_wait_exit(int id, int timeout_ms);
/* Receives notifications for up to ms, recording exits; returns the other bits seen. */
uint32_t st_drain(int ms);
/* Bits seen by st_wait_exit/st_drain since the last call to st_take_bits. */
uint32_t st_take_bits(void);
uint64_t st_now_ms(void);
/* Polls until task id is in TASK_STATE_* `state` (up to 1 s); false if it never is. */
bool st_wait_state(int id, int state);

/* Message helpers. */
void st_msg(struct msg *m, int32_t type, const char *text);

void st_ipc(void);
void st_errors(void);
void st_notify(void);
void st_sched(void);
void st_services(void);
void st_access(void);
void st_devices(void);
void st_faults(void);
void st_memory(void);
void st_wasm(void);

#endif
