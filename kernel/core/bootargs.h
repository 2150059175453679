/* The kernel command line (/chosen/bootargs): space-separated words and key=value pairs. */
#ifndef CORE_BOOTARGS_H
#define CORE_BOOTARGS_H

#include <stdbool.h>
#include <stddef.h>

void bootargs_set(const char *cmdline);
/* True for a bare word `key` or any `key=...`. */
bool bootarg_has(const char *key);
/* Copies the value of key=value into out; false if absent. */
bool bootarg_value(const char *key, char *out, size_t size);

#endif
