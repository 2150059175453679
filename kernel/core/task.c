/* Task lifecycle: creation, the first run, exit/kill and the reaping of stacks. */
#include "core/task.h"
#include "core/access.h"
#include "core/boot.h"
#include "core/console.h"
#include "core/device.h"
#include "core/heap.h"
#include "core/ipc_internal.h"
#include "core/panic.h"
#include "core/pmm.h"
#include "core/sched.h"
#include "core/service.h"
#include "core/timeout.h"
#include "core/trace.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/switch.h"
#include "arch/riscv/vm.h"
#include "lib/string.h"
#include "wasmos/errors.h"

/* Space a trap needs below a task's sp (frame + handler); see strap.S. */
#define TRAP_RESERVE 1024u

struct task_alloc_hdr {
	struct list link;
	uint32_t size;  /* bytes charged */
	uint32_t magic;
};
#define ALLOC_MAGIC 0x7a5c0a11u

struct task *task_table[MAX_TASKS];
static uint32_t generation[MAX_TASKS];
static uint32_t ntasks;
static struct task boot_task;
static struct list zombies = LIST_INIT(zombies);
uint32_t task_zombies_pending;

extern char boot_stack_bottom[], boot_stack_top[];

static void init_lists(struct task *t)
{
	list_init(&t->run_link);
	list_init(&t->wait_link);
	list_init(&t->timeout_link);
	list_init(&t->timer_link);
	list_init(&t->senders);
	list_init(&t->allocs);
	list_init(&t->dma);
}

void task_init_boot(void)
{
	struct task *t = &boot_task;
	memset(t, 0, sizeof *t);
	init_lists(t);
	t->id = TASK_KERNEL;
	t->state = T_IDLE;
	t->prio = 0;
	strlcpy(t->name, "kernel", sizeof t->name);
	t->stack_bottom = (uintptr_t)boot_stack_bottom;
	t->stack_top = (uintptr_t)boot_stack_top;
	t->stack_limit = t->stack_bottom + TRAP_RESERVE;
	t->flags = TASKF_ALL;
	__asm__ volatile("mv tp, %0" :: "r"(t));
}

struct task *idle_task(void) { return &boot_task; }
uint32_t task_count(void) { return ntasks; }

void task_for_each(void (*fn)(struct task *t, void *ctx), void *ctx)
{
	for (int i = 1; i < MAX_TASKS; i++)
		if (task_table[i])
			fn(task_table[i], ctx);
}

static void free_task_memory(struct task *t)
{
	if (t->stack_pages)
		vmem_free((void *)t->stack_bottom, t->stack_pages, 1);
	kfree(t);
}

void task_reap_zombies(void)
{
	struct task *me = current_task();
	list_for_each_safe(it, nx, &zombies) {
		struct task *z = list_entry(it, struct task, run_link);
		if (z == me)
			continue;
		list_del(&z->run_link);
		free_task_memory(z);
		task_zombies_pending--;
	}
}

/* Runs on the new task's own stack, from task_trampoline. */
__attribute__((noreturn)) void task_start(struct task *t);
uint64_t boot_first_task_instret;

void task_start(struct task *t)
{
	if (!boot_first_task_instret)
		boot_first_task_instret = rd_instret();
	task_reap_zombies();
	irq_enable();
	t->entry(t->arg);
	task_exit(EXIT_OK);
}

/* Moves the allocations `from` made after `mark` to `to` (interrupts off). */
static void adopt_allocs(struct task *from, struct task *to, struct list *mark)
{
	while (mark->next != &from->allocs) {
		struct list *n = mark->next;
		struct task_alloc_hdr *h = container_of(n, struct task_alloc_hdr, link);
		list_del(n);
		list_push_back(&to->allocs, n);
		from->mem_bytes -= h->size;
		to->mem_bytes += h->size;
	}
}

static int create(struct task *spawner, const struct task_spec *spec, struct list *adopt)
{
	if (!spec || !spec->entry || !spec->name || !vm_check_str((uintptr_t)spec->name, 256))
		return E_INVALID;
	int prio = spec->priority ? spec->priority : TASK_PRIO_DEFAULT;
	if (prio < TASK_PRIO_LOWEST || prio > TASK_PRIO_HIGHEST)
		return E_INVALID;
	uint32_t stack = spec->stack_size ? spec->stack_size : TASK_STACK_DEFAULT;
	if (stack > TASK_STACK_MAX || stack < 4096)
		return E_INVALID;
	uint32_t pages = (stack + PAGE_SIZE - 1) / PAGE_SIZE;
	if (spec->n_devices > 8 || (spec->n_devices && !spec->devices))
		return E_INVALID;

	int err = 0;
	struct name_set *uses = names_parse(spec->uses, &err);
	if (err)
		return err;
	struct name_set *provides = names_parse(spec->provides, &err);
	if (err) {
		names_free(uses);
		return err;
	}
	/* A spawner hands out only what it holds. */
	if (spawner && (!names_subset(uses, spawner->uses) || !names_subset(provides, spawner->provides) ||
			(spec->flags & ~spawner->flags)))
		err = E_DENIED;
	for (uint32_t i = 0; i < spec->n_devices && !err; i++)
		err = device_check_grant(spawner, &spec->devices[i]);
	if (err) {
		if (err == E_DENIED && TRACE_ON())
			trace_denied(TRACE_DENY_GRANT, 0, spec->name);
		names_free(uses);
		names_free(provides);
		return err;
	}

	uint32_t f = irq_save();
	int slot = -1;
	for (int i = 1; i < MAX_TASKS; i++)
		if (!task_table[i]) {
			slot = i;
			break;
		}
	struct task *t = slot > 0 ? kzalloc(sizeof *t) : NULL;
	void *stk = t ? vmem_alloc(pages, 1) : NULL;
	struct dev_grant *devs = NULL;
	if (stk && spec->n_devices) {
		devs = kmalloc(spec->n_devices * sizeof *devs);
		if (devs)
			memcpy(devs, spec->devices, spec->n_devices * sizeof *devs);
	}
	if (!t || !stk || (spec->n_devices && !devs)) {
		if (stk)
			vmem_free(stk, pages, 1);
		kfree(t);
		names_free(uses);
		names_free(provides);
		irq_restore(f);
		return E_NO_MEMORY;
	}
	init_lists(t);
	generation[slot]++;
	t->id = (int32_t)(((generation[slot] * MAX_TASKS) + (uint32_t)slot) & 0x7fffffff);
	if (t->id <= 0)
		t->id = slot;
	t->parent = spawner && spawner != idle_task() ? spawner->id : 0;
	t->prio = (uint8_t)prio;
	strlcpy(t->name, spec->name, sizeof t->name);
	t->entry = spec->entry;
	t->arg = spec->arg;
	t->cleanup = spec->cleanup;
	t->uses = uses;
	t->provides = provides;
	t->flags = spec->flags;
	t->mem_limit = spec->mem_limit;
	t->devs = devs;
	t->n_devs = spec->n_devices;
	t->stack_bottom = (uintptr_t)stk;
	t->stack_top = (uintptr_t)stk + pages * PAGE_SIZE;
	t->stack_pages = pages;
	t->stack_limit = t->stack_bottom + TRAP_RESERVE;
	t->mem_bytes = pages * PAGE_SIZE;
	uint32_t *frame = (uint32_t *)(t->stack_top - SWITCH_FRAME_WORDS * 4);
	frame[0] = (uint32_t)task_trampoline;
	frame[1] = 0;
	frame[2] = (uint32_t)t;
	t->saved_sp = (uintptr_t)frame;
	task_table[slot] = t;
	ntasks++;
	if (adopt)
		adopt_allocs(spawner, t, adopt);
	for (uint32_t i = 0; i < t->n_devs; i++)
		device_apply_grant(t, &t->devs[i]);
	if (TRACE_ON())
		trace_task_create(t);
	sched_make_ready(t);
	int id = t->id;
	sched_yield_if_preempted();
	irq_restore(f);
	return id;
}

int task_create(const struct task_spec *spec)
{
	return create(current_task(), spec, NULL);
}

int task_create_root(const struct task_spec *spec)
{
	return create(NULL, spec, NULL);
}

struct list *task_alloc_mark(void)
{
	return current_task()->allocs.prev;
}

uint32_t task_alloc_bytes_since(struct list *mark)
{
	uint32_t f = irq_save();
	struct task *me = current_task();
	uint32_t n = 0;
	for (struct list *it = mark->next; it != &me->allocs; it = it->next)
		n += container_of(it, struct task_alloc_hdr, link)->size;
	irq_restore(f);
	return n;
}

int task_create_adopting(const struct task_spec *spec, struct list *mark)
{
	struct task *me = current_task();
	if (me == idle_task() || !mark)
		return E_INVALID;
	return create(me, spec, mark);
}

static void reparent(struct task *c, void *ctx)
{
	struct task *dead = ctx;
	if (c->parent == dead->id)
		c->parent = 0;
}

void task_destroy(struct task *t, int32_t reason)
{
	if (t == idle_task())
		panic("the idle task tried to exit (reason %d)", (int)reason);
	uint32_t f = irq_save();
	task_table[task_slot(t->id)] = NULL;
	ntasks--;
	sched_unqueue(t);
	list_del(&t->wait_link);
	timeout_cancel(t);
	task_timer_cancel(t);
	t->state = T_ZOMBIE;
	t->exit_reason = reason;
	ipc_task_gone(t);
	service_task_gone(t);
	device_task_gone(t);
	while (!list_empty(&t->allocs)) {
		struct list *n = list_pop_front(&t->allocs);
		kfree(container_of(n, struct task_alloc_hdr, link));
	}
	access_forget(t);
	names_free(t->uses);
	names_free(t->provides);
	kfree(t->devs);
	t->uses = t->provides = NULL;
	t->devs = NULL;
	task_for_each(reparent, t);
	if (TRACE_ON())
		trace_task_exit(t->id, reason);
	struct task *parent = task_lookup(t->parent);
	if (parent)
		notify_child_exit(parent, t->id, reason);
	if (t->cleanup)
		t->cleanup(t->arg);
	if (t == current_task()) {
		list_push_back(&zombies, &t->run_link);
		task_zombies_pending++;
		schedule();
		panic("exited task %d was scheduled", (int)t->id);
	}
	free_task_memory(t);
	sched_yield_if_preempted();
	irq_restore(f);
}

void task_exit(int32_t reason)
{
	irq_disable();
	task_destroy(current_task(), reason);
	__builtin_unreachable();
}

int task_kill(int id, int32_t reason)
{
	uint32_t f = irq_save();
	struct task *me = current_task();
	struct task *t = task_lookup(id);
	int r = 0;
	if (!t)
		r = E_NO_TASK;
	else if (t != me && t->parent != me->id && !(me->flags & TASKF_KILL_ANY)) {
		if (TRACE_ON())
			trace_denied(TRACE_DENY_KILL, id, t->name);
		r = E_DENIED;
	} else {
		task_destroy(t, reason);
	}
	irq_restore(f);
	return r;
}

int task_self(void) { return current_task()->id; }

void task_yield(void)
{
	uint32_t f = irq_save();
	schedule();
	irq_restore(f);
}

int task_sleep(uint32_t ms)
{
	if (ms == 0) {
		task_yield();
		return 0;
	}
	uint32_t f = irq_save();
	sched_block(T_SLEEP, deadline_after_ms((int32_t)(ms & 0x7fffffff)));
	irq_restore(f);
	return 0;
}

int timer_set(uint32_t ms)
{
	uint32_t f = irq_save();
	struct task *me = current_task();
	if (ms == 0)
		task_timer_cancel(me);
	else
		task_timer_arm(me, deadline_after_ms((int32_t)(ms & 0x7fffffff)));
	irq_restore(f);
	return 0;
}

static void *alloc_charged(uint32_t size, bool limited)
{
	if (size > (64u << 20))
		return NULL;
	uint32_t f = irq_save();
	struct task *me = current_task();
	struct task_alloc_hdr *h = NULL;
	uint32_t charge = 0;
	if (me != idle_task()) {
		h = kmalloc(sizeof *h + size);
		if (h) {
			charge = (uint32_t)ksize(h);
			if (limited && me->mem_limit && me->mem_bytes + charge > me->mem_limit + me->stack_pages * PAGE_SIZE) {
				kfree(h);
				h = NULL;
			}
		}
	}
	if (h) {
		h->size = charge;
		h->magic = ALLOC_MAGIC;
		list_push_back(&me->allocs, &h->link);
		me->mem_bytes += charge;
	}
	irq_restore(f);
	return h ? h + 1 : NULL;
}

void *task_alloc(uint32_t size) { return alloc_charged(size, true); }
void *task_alloc_unlimited(uint32_t size) { return alloc_charged(size, false); }

static struct task_alloc_hdr *hdr_of(void *p)
{
	struct task_alloc_hdr *h = (struct task_alloc_hdr *)p - 1;
	if (((uintptr_t)p & 15) || !vm_check((uintptr_t)h, sizeof *h, false) || h->magic != ALLOC_MAGIC)
		return NULL;
	return h;
}

void task_free(void *p)
{
	if (!p)
		return;
	uint32_t f = irq_save();
	struct task_alloc_hdr *h = hdr_of(p);
	struct task *me = current_task();
	if (h) {
		bool mine = false;
		list_for_each(it, &me->allocs)
			if (it == &h->link)
				mine = true;
		if (mine) {
			list_del(&h->link);
			me->mem_bytes -= h->size;
			h->magic = 0;
			kfree(h);
		}
	}
	irq_restore(f);
}

void *task_realloc(void *p, uint32_t size)
{
	if (!p)
		return task_alloc(size);
	struct task_alloc_hdr *h = hdr_of(p);
	if (!h)
		return NULL;
	uint32_t old = h->size - sizeof *h;
	if (size <= old)
		return p;
	void *n = task_alloc(size);
	if (!n)
		return NULL;
	memcpy(n, p, old);
	task_free(p);
	return n;
}

int task_info(int id, struct task_info *out)
{
	if (!vm_check((uintptr_t)out, sizeof *out, true))
		return E_BAD_POINTER;
	uint32_t f = irq_save();
	struct task *t = id == TASK_KERNEL ? idle_task() : task_lookup(id);
	if (!t) {
		irq_restore(f);
		return E_NO_TASK;
	}
	memset(out, 0, sizeof *out);
	out->id = t->id;
	out->parent = t->parent;
	strlcpy(out->name, t->name, sizeof out->name);
	out->state = t->state == T_LOOKUP ? TASK_STATE_SLEEP : t->state == T_IDLE ? TASK_STATE_RUNNABLE : t->state;
	out->priority = t->prio;
	out->instret = t->instret + (t == current_task() ? rd_instret() - t->instret_in : 0);
	out->mem_bytes = t->mem_bytes;
	out->switches = t->switches;
	irq_restore(f);
	return 0;
}

uint64_t kernel_time_us(void)
{
	return time_now() * 1000 / time_ticks_per_ms();
}
