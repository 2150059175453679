/*
 * Synchronous message passing (see docs/kernel.md for the state diagram).
 *
 * A message is copied once, from the sender's buffer straight into the
 * receiver's, at the moment both sides are ready: either the receiver is
 * already blocked in ipc_recv (the sender copies), or the sender is queued on
 * the receiver (the receiver copies when it asks). ipc_call is a send whose
 * sender then waits in T_REPLY for exactly one ipc_reply from the callee.
 */
#include "wasmos/ipc.h"
#include "wasmos/errors.h"
#include "core/ipc_internal.h"
#include "core/kernel_endpoint.h"
#include "core/access.h"
#include "core/sched.h"
#include "core/timeout.h"
#include "core/trace.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/vm.h"
#include "lib/string.h"

static inline bool accepts(const struct task *r, int32_t from)
{
	return r->peer == IPC_ANY || r->peer == from;
}

static inline bool wants_notifications(const struct task *r)
{
	return r->peer == IPC_ANY || r->peer == TASK_KERNEL;
}

static inline bool has_notification(const struct task *t)
{
	return t->notify_bits != 0;
}

/* Writes the pending notifications into buf as a MSG_NOTIFY message and clears them. */
static uint32_t take_notification(struct task *t, struct msg *buf, uint32_t cap)
{
	struct {
		int32_t type, src;
		struct notify_payload p;
	} n;
	memset(&n, 0, sizeof n);
	n.type = MSG_NOTIFY;
	n.src = TASK_KERNEL;
	n.p.bits = t->notify_bits;
	for (int i = 0; i < 3; i++) {
		n.p.irqs[i] = t->irq_pending[i];
		t->irq_pending[i] = 0;
	}
	uint32_t k = t->n_exited < NOTIFY_MAX_EXITED ? t->n_exited : NOTIFY_MAX_EXITED;
	for (uint32_t i = 0; i < k; i++) {
		n.p.exited[i].task = t->exited[i].task;
		n.p.exited[i].reason = t->exited[i].reason;
	}
	n.p.n_exited = k;
	memmove(t->exited, t->exited + k, (t->n_exited - k) * sizeof t->exited[0]);
	t->n_exited -= k;
	t->notify_bits = t->n_exited ? NOTIFY_TASK_EXITED : 0;
	uint32_t len = MSG_HEADER + offsetof(struct notify_payload, exited) + k * sizeof n.p.exited[0];
	if (len > cap)
		len = cap;
	memcpy(buf, &n, len);
	return len;
}

void notify_post(struct task *t, uint32_t bits, int32_t from)
{
	t->notify_bits |= bits;
	if (TRACE_ON())
		trace_ipc(TR_IPC_NOTIFY, from, t->id, (int32_t)bits, 0, 0, 0);
	if (t->state == T_RECV && wants_notifications(t))
		sched_wake(t, (int32_t)take_notification(t, t->rbuf, t->rcap));
}

void notify_child_exit(struct task *parent, int32_t id, int32_t reason)
{
	if (parent->n_exited < TASK_EXITED_FIFO) {
		parent->exited[parent->n_exited].task = id;
		parent->exited[parent->n_exited].reason = reason;
		parent->n_exited++;
	} else {
		parent->exited_lost++;
	}
	notify_post(parent, NOTIFY_TASK_EXITED, TASK_KERNEL);
}

static void gone_one(struct task *t, void *ctx)
{
	struct task *dead = ctx;
	if (t == dead)
		return;
	if ((t->state == T_REPLY || t->state == T_SEND || t->state == T_RECV) && t->peer == dead->id)
		sched_wake(t, E_EXITED);
}

void ipc_task_gone(struct task *dead)
{
	struct list *n;
	while ((n = list_pop_front(&dead->senders)) != NULL)
		sched_wake(list_entry(n, struct task, wait_link), E_EXITED);
	task_for_each(gone_one, dead);
}

/* Both buffers are 4-byte aligned (vm_check): copy words, then the odd tail. */
static inline void copy_msg(struct msg *dst, const struct msg *src, uint32_t len)
{
	uint32_t *d = (uint32_t *)dst;
	const uint32_t *s = (const uint32_t *)src;
	uint32_t words = len / 4;
	for (uint32_t i = 0; i < words; i++)
		d[i] = s[i];
	for (uint32_t i = words * 4; i < len; i++)
		((uint8_t *)dst)[i] = ((const uint8_t *)src)[i];
}

/* The receiver `r` gets the message: copy, stamp the source, trace. */
static inline void deliver(struct task *r, struct msg *dst, const struct msg *m, uint32_t len, int32_t src, bool call)
{
	copy_msg(dst, m, len);
	dst->src = src;
	if (TRACE_ON())
		trace_ipc(call ? TR_IPC_CALL : TR_IPC_SEND, src, r->id, m->type, len, (int32_t)len, m->payload);
}

static bool would_deadlock(const struct task *me, const struct task *dst)
{
	const struct task *t = dst;
	for (int i = 0; i < MAX_TASKS && t; i++) {
		if (t == me)
			return true;
		if (t->state == T_SEND || t->state == T_REPLY || (t->state == T_RECV && t->peer > 0))
			t = task_lookup(t->peer);
		else
			return false;
	}
	return false;
}

static int check_len(uint32_t len)
{
	if (len > MSG_MAX)
		return E_TOO_LARGE;
	if (len < MSG_HEADER)
		return E_INVALID;
	return 0;
}

static int send_fail(int kind, struct task *me, int dst, const struct msg *m, uint32_t len, int err)
{
	if (TRACE_ON())
		trace_ipc(kind, me->id, dst, vm_check((uintptr_t)m, MSG_HEADER, false) ? m->type : 0, len, err, 0);
	return err;
}

/* The send half of ipc_send and ipc_call. Interrupts off. For a call the
 * caller has set me->rbuf/rcap; on success the result is the reply length. */
static int do_send(struct task *me, int32_t dst_id, const struct msg *m, uint32_t len, int32_t timeout_ms, bool call)
{
	int kind = call ? TR_IPC_CALL : TR_IPC_SEND;
	struct task *dst = task_lookup(dst_id);
	if (!dst)
		return send_fail(kind, me, dst_id, m, len, E_NO_TASK);
	if (!access_may_send(me, dst)) {
		if (TRACE_ON())
			trace_denied(TRACE_DENY_SEND, dst_id, dst->name);
		return send_fail(kind, me, dst_id, m, len, E_DENIED);
	}
	uint64_t deadline = deadline_after_ms(timeout_ms);
	if (dst->state == T_RECV && accepts(dst, me->id)) {
		if (len > dst->rcap)
			return send_fail(kind, me, dst_id, m, len, E_TOO_LARGE);
		deliver(dst, dst->rbuf, m, len, me->id, call);
		access_grant_send(dst, me);
		sched_wake(dst, (int32_t)len);
		if (!call) {
			sched_yield_if_preempted();
			return 0;
		}
		me->peer = dst->id;
		return sched_block(T_REPLY, deadline);
	}
	if (timeout_ms == 0)
		return send_fail(kind, me, dst_id, m, len, E_WOULD_BLOCK);
	if (would_deadlock(me, dst))
		return send_fail(kind, me, dst_id, m, len, E_DEADLOCK);
	me->peer = dst->id;
	me->sbuf = m;
	me->slen = len;
	me->calling = call;
	list_push_back(&dst->senders, &me->wait_link);
	int r = sched_block(T_SEND, deadline);
	if (r < 0 && TRACE_ON())
		send_fail(kind, me, dst_id, m, len, r);
	return r;
}

int ipc_send(int dst, const struct msg *m, uint32_t len, int32_t timeout_ms)
{
	int err = check_len(len);
	if (err)
		return err;
	if (!vm_check((uintptr_t)m, len, false))
		return E_BAD_POINTER;
	if (dst == TASK_KERNEL)
		return E_INVALID;
	uint32_t f = irq_save();
	struct task *me = current_task();
	err = do_send(me, dst, m, len, timeout_ms, false);
	irq_restore(f);
	return err;
}

int ipc_call(int dst, struct msg *m, uint32_t len, uint32_t cap, int32_t timeout_ms)
{
	int err = check_len(len);
	if (err)
		return err;
	if (cap > MSG_MAX)
		cap = MSG_MAX;
	if (cap < MSG_HEADER)
		return E_INVALID;
	if (!vm_check((uintptr_t)m, len > cap ? len : cap, true))
		return E_BAD_POINTER;
	if (dst == TASK_KERNEL)
		return kernel_endpoint_call(m, len, cap, timeout_ms);
	uint32_t f = irq_save();
	struct task *me = current_task();
	me->rbuf = m;
	me->rcap = cap;
	err = do_send(me, dst, m, len, timeout_ms, true);
	irq_restore(f);
	return err;
}

int ipc_recv(int from, struct msg *buf, uint32_t cap, int32_t timeout_ms)
{
	if (cap > MSG_MAX)
		cap = MSG_MAX;
	if (cap < MSG_HEADER)
		return E_INVALID;
	if (!vm_check((uintptr_t)buf, cap, true))
		return E_BAD_POINTER;
	if (from < IPC_ANY)
		return E_INVALID;
	uint32_t f = irq_save();
	struct task *me = current_task();
	int r;
	if (from > 0 && !task_lookup(from)) {
		r = E_NO_TASK;
		goto out;
	}
	if (from == me->id) {
		r = E_DEADLOCK;
		goto out;
	}
	me->peer = from;
	if (wants_notifications(me) && has_notification(me)) {
		r = (int)take_notification(me, buf, cap);
		goto out;
	}
	list_for_each_safe(it, nx, &me->senders) {
		struct task *s = list_entry(it, struct task, wait_link);
		if (!accepts(me, s->id))
			continue;
		if (s->slen > cap) {
			/* Never delivered in part: the sender learns its message did not fit. */
			sched_wake(s, E_TOO_LARGE);
			continue;
		}
		deliver(me, buf, s->sbuf, s->slen, s->id, s->calling);
		access_grant_send(me, s);
		r = (int)s->slen;
		if (s->calling) {
			list_del(&s->wait_link);
			s->state = T_REPLY;
			s->peer = me->id;
		} else {
			sched_wake(s, 0);
		}
		goto out;
	}
	if (timeout_ms == 0) {
		r = E_WOULD_BLOCK;
		goto out;
	}
	me->rbuf = buf;
	me->rcap = cap;
	r = sched_block(T_RECV, deadline_after_ms(timeout_ms));
out:
	if (TRACE_ON())
		trace_ipc(TR_IPC_RECV, r > 0 ? buf->src : from, me->id, r > 0 ? buf->type : 0, r > 0 ? (uint32_t)r : 0, r, 0);
	irq_restore(f);
	return r;
}

int ipc_reply(int dst, const struct msg *m, uint32_t len)
{
	int err = check_len(len);
	if (err)
		return err;
	if (!vm_check((uintptr_t)m, len, false))
		return E_BAD_POINTER;
	uint32_t f = irq_save();
	struct task *me = current_task();
	struct task *t = task_lookup(dst);
	int r = 0;
	if (!t)
		r = E_NO_TASK;
	else if (t->state != T_REPLY || t->peer != me->id)
		r = E_WOULD_BLOCK;
	else if (len > t->rcap)
		r = E_TOO_LARGE;
	if (r) {
		if (TRACE_ON())
			trace_ipc(TR_IPC_REPLY, me->id, dst, m->type, len, r, 0);
		irq_restore(f);
		return r;
	}
	copy_msg(t->rbuf, m, len);
	t->rbuf->src = me->id;
	if (TRACE_ON())
		trace_ipc(TR_IPC_REPLY, me->id, dst, m->type, len, (int32_t)len, m->payload);
	sched_wake(t, (int32_t)len);
	sched_yield_if_preempted();
	irq_restore(f);
	return 0;
}

int ipc_notify(int dst, uint32_t bits)
{
	if (!bits)
		return E_INVALID;
	uint32_t f = irq_save();
	struct task *me = current_task();
	struct task *t = task_lookup(dst);
	int r = 0;
	if (!t)
		r = E_NO_TASK;
	else if (!access_may_send(me, t)) {
		if (TRACE_ON())
			trace_denied(TRACE_DENY_SEND, dst, t->name);
		r = E_DENIED;
	} else {
		notify_post(t, bits, me->id);
		sched_yield_if_preempted();
	}
	irq_restore(f);
	return r;
}
