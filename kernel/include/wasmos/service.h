/* The service registry: names -> task ids. Services disappear when their task exits. */
#ifndef WASMOS_SERVICE_H
#define WASMOS_SERVICE_H

#include <stdint.h>

#define SERVICE_NAME_MAX 32

/* Registers `name` for the calling task (E_DENIED unless granted, E_EXISTS if taken). */
int service_register(const char *name);
/* Returns the task id serving `name`, waiting up to timeout_ms for it to be
 * registered (0 = E_NOT_FOUND at once, IPC_FOREVER = no limit). E_DENIED if
 * the name is not among the task's "uses". Success also lets the task send to it. */
int service_lookup(const char *name, int32_t timeout_ms);

#endif
