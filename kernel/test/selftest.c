/* Runs every self-test group in a root task, prints "selftest: N passed, N failed"
 * and powers off: exit code 0 when all passed, 2 otherwise. */
#include "test/selftest.h"
#include "core/boot.h"
#include "core/panic.h"
#include "lib/string.h"

static int passed, failed;
static struct {
	int32_t id, reason;
} exits[512];
static int n_exits;
static uint32_t bits_seen;

void st_check(bool ok, const char *what, const char *file, int line)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	kprintf("FAIL %s:%d: %s\n", file, line, what);
}

void st_check_eq(long long got, long long want, const char *what, const char *file, int line)
{
	if (got == want) {
		passed++;
		return;
	}
	failed++;
	kprintf("FAIL %s:%d: %s is %lld (%s), expected %lld (%s)\n", file, line, what, got,
		got < 0 && got >= E_MIN ? err_name((int)got) : "", want, want < 0 && want >= E_MIN ? err_name((int)want) : "");
}

int st_spawn_spec(const struct task_spec *spec)
{
	int id = task_create(spec);
	if (id < 0)
		kprintf("st_spawn %s: %s\n", spec->name, err_name(id));
	return id;
}

int st_spawn(const char *name, task_entry_t fn, void *arg, int prio, const char *uses, const char *provides)
{
	struct task_spec spec = {
		.name = name, .entry = fn, .arg = arg, .priority = prio, .provides = provides,
		/* Helpers talk to their siblings freely unless a test restricts them ("" = nothing). */
		.uses = uses ? uses : "*",
	};
	return st_spawn_spec(&spec);
}

uint64_t st_now_ms(void) { return kernel_time_us() / 1000; }

bool st_wait_state(int id, int state)
{
	for (int i = 0; i < 1000; i++) {
		struct task_info ti;
		if (task_info(id, &ti) == 0 && ti.state == state)
			return true;
		task_sleep(1);
	}
	return false;
}

static void record(const struct msg *m, int len)
{
	if (len < MSG_HEADER + 4 || m->type != MSG_NOTIFY)
		return;
	struct notify_payload p;
	memset(&p, 0, sizeof p);
	memcpy(&p, m->payload, (uint32_t)len - MSG_HEADER < sizeof p ? (uint32_t)len - MSG_HEADER : sizeof p);
	bits_seen |= p.bits & ~NOTIFY_TASK_EXITED;
	for (uint32_t i = 0; i < p.n_exited && i < NOTIFY_MAX_EXITED; i++) {
		if (n_exits < (int)(sizeof exits / sizeof exits[0])) {
			exits[n_exits].id = p.exited[i].task;
			exits[n_exits].reason = p.exited[i].reason;
			n_exits++;
		}
	}
}

int32_t st_wait_exit(int id, int timeout_ms)
{
	uint64_t end = st_now_ms() + (uint64_t)timeout_ms;
	for (;;) {
		for (int i = 0; i < n_exits; i++) {
			if (exits[i].id == id) {
				int32_t reason = exits[i].reason;
				exits[i] = exits[--n_exits];
				return reason;
			}
		}
		uint64_t now = st_now_ms();
		if (now >= end)
			return E_TIMEOUT;
		struct msg m;
		int len = ipc_recv(TASK_KERNEL, &m, sizeof m, (int32_t)(end - now));
		if (len > 0)
			record(&m, len);
	}
}

uint32_t st_drain(int ms)
{
	uint64_t end = st_now_ms() + (uint64_t)ms;
	for (;;) {
		uint64_t now = st_now_ms();
		struct msg m;
		int len = ipc_recv(TASK_KERNEL, &m, sizeof m, now >= end ? 0 : (int32_t)(end - now));
		if (len <= 0)
			break;
		record(&m, len);
	}
	return bits_seen;
}

uint32_t st_take_bits(void)
{
	uint32_t b = bits_seen;
	bits_seen = 0;
	return b;
}

void st_msg(struct msg *m, int32_t type, const char *text)
{
	m->type = type;
	m->src = 0x7777;
	strlcpy((char *)m->payload, text, MSG_PAYLOAD_MAX);
}

static void group(const char *name, void (*fn)(void))
{
	int p = passed, f = failed;
	fn();
	st_drain(0);
	kprintf("selftest %-9s %3d passed, %d failed\n", name, passed - p, failed - f);
}

void selftest_main(void *arg)
{
	(void)arg;
	kprintf("selftest: start (task %d)\n", task_self());
	group("ipc", st_ipc);
	group("errors", st_errors);
	group("notify", st_notify);
	group("sched", st_sched);
	group("services", st_services);
	group("access", st_access);
	group("devices", st_devices);
	group("faults", st_faults);
	group("memory", st_memory);
	group("wasm", st_wasm);
	kprintf("selftest: %d passed, %d failed\n", passed, failed);
	poweroff(failed ? POWEROFF_SELFTEST_FAILED : POWEROFF_PASS);
}
