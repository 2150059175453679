# The kernel's WebAssembly runtime, for inclusion by kernel/Makefile:
#   include wasm/wasm.mk
#   OBJS += $(WASM_SRCS:.c=.o)      # compile with CFLAGS += $(WASM_CFLAGS)
# The runtime is freestanding C11: it needs no libc, no libgcc/compiler-rt
# helpers and no floating-point library. The compiler may still emit calls to
# memcpy/memset/memmove, which the kernel must provide.
WASM_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
WASM_SRCS := \
	$(WASM_DIR)/util.c \
	$(WASM_DIR)/heap.c \
	$(WASM_DIR)/reader.c \
	$(WASM_DIR)/numeric.c \
	$(WASM_DIR)/decode.c \
	$(WASM_DIR)/compile.c \
	$(WASM_DIR)/peephole.c \
	$(WASM_DIR)/instance.c \
	$(WASM_DIR)/interp.c \
	$(WASM_DIR)/jit.c
WASM_HDRS := \
	$(WASM_DIR)/wasm.h \
	$(WASM_DIR)/internal.h \
	$(WASM_DIR)/ops.h \
	$(WASM_DIR)/numeric.h \
	$(WASM_DIR)/jit_rv32.h
# Wasm has no fused multiply-add: float expressions must not be contracted. Slots are
# accessed through a union of all value types.
WASM_CFLAGS := -std=c11 -I$(WASM_DIR) -ffp-contract=off -fno-strict-aliasing
