/* The benchmarks as a WasmOS task: each timed with wasmos.instret (the
 * instructions this task has retired), printed with wasmos.debug_print. */
#include "benches.h"

__attribute__((import_module("wasmos"), import_name("debug_print"))) void debug_print(const char *p, uint32_t len);
__attribute__((import_module("wasmos"), import_name("instret"))) uint64_t wasmos_instret(void);

__attribute__((export_name("_start"))) void start(void);
void start(void)
{
	char line[80];
	for (uint32_t i = 0; i < sizeof benches / sizeof benches[0]; i++) {
		uint64_t t0 = wasmos_instret();
		uint32_t sum = benches[i].fn(benches[i].n);
		uint64_t t1 = wasmos_instret();
		debug_print(line, bench_line(line, benches[i].name, sum, t1 - t0));
	}
	debug_print("bench: done\n", 12);
}
