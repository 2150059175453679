/*
 * Minimal UBSan runtime for the DEBUG=1 build (-fsanitize=undefined): every
 * check that fires prints its kind and source location and panics. The data
 * layouts are the compiler's (a source location always comes first).
 */
#ifdef KERNEL_DEBUG
#include <stdint.h>
#include "core/panic.h"

struct src_loc {
	const char *file;
	uint32_t line, column;
};

__attribute__((noreturn)) static void report(const char *what, const struct src_loc *loc)
{
	panic("UBSan: %s at %s:%u:%u", what, loc->file, (unsigned)loc->line, (unsigned)loc->column);
}

#define HANDLER(name, what)                                  \
	void __ubsan_handle_##name(const struct src_loc *loc); \
	void __ubsan_handle_##name(const struct src_loc *loc) { report(what, loc); }
#define HANDLER2(name, what)                                            \
	void __ubsan_handle_##name(const struct src_loc *loc, uintptr_t a); \
	void __ubsan_handle_##name(const struct src_loc *loc, uintptr_t a) { (void)a; report(what, loc); }
#define HANDLER3(name, what)                                                         \
	void __ubsan_handle_##name(const struct src_loc *loc, uintptr_t a, uintptr_t b); \
	void __ubsan_handle_##name(const struct src_loc *loc, uintptr_t a, uintptr_t b)  \
	{                                                                                \
		(void)a;                                                                 \
		(void)b;                                                                 \
		report(what, loc);                                                       \
	}

struct type_mismatch {
	struct src_loc loc;
	const void *type;
	uint8_t log_align, kind;
};

void __ubsan_handle_type_mismatch_v1(struct type_mismatch *d, uintptr_t ptr);
void __ubsan_handle_type_mismatch_v1(struct type_mismatch *d, uintptr_t ptr)
{
	if (!ptr)
		report("null pointer access", &d->loc);
	if (ptr & ((1u << d->log_align) - 1))
		report("misaligned access", &d->loc);
	report("object too small for access", &d->loc);
}

HANDLER3(add_overflow, "signed addition overflow")
HANDLER3(sub_overflow, "signed subtraction overflow")
HANDLER3(mul_overflow, "signed multiplication overflow")
HANDLER3(divrem_overflow, "division overflow or by zero")
HANDLER3(shift_out_of_bounds, "shift out of bounds")
HANDLER3(pointer_overflow, "pointer overflow")
HANDLER2(negate_overflow, "negation overflow")
HANDLER2(out_of_bounds, "array index out of bounds")
HANDLER2(load_invalid_value, "invalid value loaded (bool/enum)")
HANDLER2(vla_bound_not_positive, "VLA bound not positive")
HANDLER2(float_cast_overflow, "float cast overflow")
HANDLER2(invalid_builtin, "invalid builtin use")
HANDLER(builtin_unreachable, "__builtin_unreachable reached")
HANDLER(missing_return, "missing return")
HANDLER(nonnull_return_v1, "null returned from nonnull function")
HANDLER(nonnull_arg, "null passed as nonnull argument")
HANDLER3(alignment_assumption, "alignment assumption violated")
HANDLER2(implicit_conversion, "implicit conversion changed the value")
#endif
