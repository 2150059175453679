/* Scheduling: preemption of endless loops, round robin, priorities, sleep, FP state. */
#include "test/selftest.h"

static volatile uint32_t spin_count[3];

static void spinner(void *arg)
{
	volatile uint32_t *c = &spin_count[(intptr_t)arg];
	for (;;)
		(*c)++;
}

static volatile int high_ran;

static void high(void *arg)
{
	(void)arg;
	high_ran = 1;
}

static volatile int tick_count;

static void ticker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5; i++) {
		task_sleep(2);
		tick_count++;
	}
}

static volatile int fp_ok[2];

/* Keeps values in FP registers across yields and preemption. */
static void fp_worker(void *arg)
{
	int k = (int)(intptr_t)arg;
	double a = 1.5 + k, b = 0.25 * (k + 1), acc = 0;
	for (int i = 0; i < 2000; i++) {
		acc += a * b;
		if (i % 100 == 0)
			task_yield();
	}
	double want = 2000 * a * b;
	fp_ok[k] = (acc > want - 1e-6 && acc < want + 1e-6) ? 1 : -1;
}

void st_sched(void)
{
	/* A task spinning forever at our priority does not stop us (time slices). */
	int s0 = st_spawn("spin0", spinner, (void *)0, TASK_PRIO_DEFAULT, 0, 0);
	uint64_t t0 = st_now_ms();
	for (int i = 0; i < 3; i++)
		task_yield();
	CHECK(st_now_ms() - t0 < 2000);
	CHECK(spin_count[0] > 0);
	/* A lower-priority task gets nothing while a higher one spins... */
	tick_count = 0;
	int tk = st_spawn("ticker", ticker, 0, TASK_PRIO_LOWEST, 0, 0);
	task_sleep(30);
	CHECK_EQ(tick_count, 0);
	/* ...and a same-priority one shares the CPU with the spinner. */
	CHECK_EQ(task_kill(tk, EXIT_KILLED), 0);
	CHECK_EQ(st_wait_exit(tk, 1000), EXIT_KILLED);
	tk = st_spawn("ticker", ticker, 0, TASK_PRIO_DEFAULT, 0, 0);
	CHECK_EQ(st_wait_exit(tk, 2000), EXIT_OK);
	CHECK_EQ(tick_count, 5);
	/* Round robin: two spinners at one priority both progress. */
	int s1 = st_spawn("spin1", spinner, (void *)1, TASK_PRIO_DEFAULT, 0, 0);
	uint32_t a0 = spin_count[0], a1 = spin_count[1];
	task_sleep(60);
	CHECK(spin_count[0] > a0);
	CHECK(spin_count[1] > a1);
	/* A higher-priority task runs before task_create returns. */
	high_ran = 0;
	int h = st_spawn("high", high, 0, TASK_PRIO_HIGHEST, 0, 0);
	CHECK_EQ(high_ran, 1);
	CHECK_EQ(st_wait_exit(h, 1000), EXIT_OK);
	/* Killing the spinners (preempted at arbitrary points) is clean. */
	CHECK_EQ(task_kill(s0, EXIT_KILLED), 0);
	CHECK_EQ(task_kill(s1, EXIT_KILLED), 0);
	CHECK_EQ(st_wait_exit(s0, 1000), EXIT_KILLED);
	CHECK_EQ(st_wait_exit(s1, 1000), EXIT_KILLED);
	/* Sleep lasts at least as asked. */
	t0 = st_now_ms();
	CHECK_EQ(task_sleep(15), 0);
	CHECK(st_now_ms() - t0 >= 15);
	/* FP registers are per task. */
	int f0 = st_spawn("fp0", fp_worker, (void *)0, 0, 0, 0);
	int f1 = st_spawn("fp1", fp_worker, (void *)1, 0, 0, 0);
	CHECK_EQ(st_wait_exit(f0, 2000), EXIT_OK);
	CHECK_EQ(st_wait_exit(f1, 2000), EXIT_OK);
	CHECK_EQ(fp_ok[0], 1);
	CHECK_EQ(fp_ok[1], 1);
	/* task_info sees a task's state and accounting. */
	struct task_info ti;
	CHECK_EQ(task_info(task_self(), &ti), 0);
	CHECK_EQ(ti.id, task_self());
	CHECK(ti.instret > 0);
	CHECK(ti.mem_bytes >= TASK_STACK_DEFAULT);
	CHECK_EQ(task_info(123457, &ti), E_NO_TASK);
	/* Bad arguments to task_create. */
	struct task_spec bad = { .name = "bad", .entry = high, .priority = 9 };
	CHECK_EQ(task_create(&bad), E_INVALID);
	bad.priority = 0;
	bad.stack_size = 100u << 20;
	CHECK_EQ(task_create(&bad), E_INVALID);
	bad.stack_size = 0;
	bad.entry = 0;
	CHECK_EQ(task_create(&bad), E_INVALID);
}
