#ifndef CORE_SERVICE_H
#define CORE_SERVICE_H

#include "core/task.h"

/* Drops every name `dead` registered (its task is being destroyed). */
void service_task_gone(struct task *dead);

#endif
