/* Driver grants: MMIO windows, DMA quota, IRQ delivery as a notification. */
#include "test/selftest.h"
#include "core/fdt.h"

#define VIRTIO0 0x10001000u
#define UART0 0x10000000u
#define UART_IRQ 10

static volatile int r_magic, r_magic_val, r_outside, r_misaligned, r_width, r_dma1, r_dma2, r_dma_free, r_ack_foreign;
static volatile uint32_t dma_phys;

static void driver(void *arg)
{
	(void)arg;
	uint32_t v = 0;
	r_magic = dev_mmio_read(VIRTIO0, 4, &v);
	r_magic_val = (int)v;
	r_outside = dev_mmio_read(VIRTIO0 + 0x1000, 4, &v);
	r_misaligned = dev_mmio_read(VIRTIO0 + 2, 4, &v);
	r_width = dev_mmio_read(VIRTIO0, 3, &v);
	uint32_t pa = 0;
	void *p = dev_dma_alloc(4096, &pa);
	r_dma1 = p != 0 && pa == (uint32_t)p && ((uint8_t *)p)[100] == 0;
	dma_phys = pa;
	r_dma2 = dev_dma_alloc(8192, &pa) != 0;
	r_dma_free = dev_dma_free(p);
	r_ack_foreign = dev_irq_ack(UART_IRQ);
	/* Keeps one DMA block: freed with the task. */
	dev_dma_alloc(4096, &pa);
}

static volatile int irq_bits_ok, irq_ack;

static void uart_driver(void *arg)
{
	(void)arg;
	/* Enable the "transmitter empty" interrupt: the UART raises IRQ 10 at once. */
	dev_mmio_write(UART0 + 1, 1, 0x02);
	struct msg m;
	int r = ipc_recv(TASK_KERNEL, &m, sizeof m, 1000);
	if (r > MSG_HEADER && m.type == MSG_NOTIFY) {
		struct notify_payload *p = (struct notify_payload *)m.payload;
		irq_bits_ok = (p->bits & NOTIFY_IRQ) && (p->irqs[0] & (1u << UART_IRQ));
	}
	dev_mmio_write(UART0 + 1, 1, 0x00);
	irq_ack = dev_irq_ack(UART_IRQ);
}

void st_devices(void)
{
	struct dev_grant g = { .mmio_base = VIRTIO0, .mmio_size = 0x1000, .dma_bytes = 8192 };
	struct task_spec s = { .name = "driver", .entry = driver, .devices = &g, .n_devices = 1 };
	int d = st_spawn_spec(&s);
	CHECK_EQ(st_wait_exit(d, 1000), EXIT_OK);
	CHECK_EQ(r_magic, 0);
	CHECK_EQ(r_magic_val, 0x74726976); /* "virt" */
	CHECK_EQ(r_outside, E_DENIED);
	CHECK_EQ(r_misaligned, E_DENIED);
	CHECK_EQ(r_width, E_DENIED);
	CHECK_EQ(r_dma1, 1);
	CHECK_EQ(r_dma2, 0);
	CHECK_EQ(r_dma_free, 0);
	CHECK_EQ(r_ack_foreign, E_DENIED);
	/* An IRQ granted to a driver arrives as NOTIFY_IRQ and is re-armed by dev_irq_ack. */
	struct dev_grant ug = { .mmio_base = UART0, .mmio_size = 0x100, .irq = UART_IRQ };
	struct task_spec us = { .name = "uart-driver", .entry = uart_driver, .devices = &ug, .n_devices = 1 };
	irq_bits_ok = 0;
	d = st_spawn_spec(&us);
	CHECK_EQ(st_wait_exit(d, 2000), EXIT_OK);
	CHECK_EQ(irq_bits_ok, 1);
	CHECK_EQ(irq_ack, 0);
	/* An IRQ has one owner at a time. */
	struct task_spec hold = us;
	hold.entry = driver;
	int h1 = st_spawn_spec(&hold);
	CHECK(h1 > 0);
	struct task_spec second = us;
	CHECK_EQ(task_create(&second), E_EXISTS);
	CHECK_EQ(st_wait_exit(h1, 1000), EXIT_OK);
	/* Bad grants. */
	struct dev_grant bad = { .mmio_base = 0x80000000u, .mmio_size = 0x1000 };
	struct task_spec bs = { .name = "bad", .entry = driver, .devices = &bad, .n_devices = 1 };
	CHECK_EQ(task_create(&bs), E_INVALID);
	bad.mmio_size = 0;
	bad.irq = 500;
	CHECK_EQ(task_create(&bs), E_INVALID);
}
