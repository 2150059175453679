#include "core/boot.h"
#include "core/console.h"
#include "core/panic.h"

void bench_main(void *arg)
{
	(void)arg;
	kprintf("bench: not implemented\n");
	poweroff(POWEROFF_PASS);
}
