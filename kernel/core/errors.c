#include "wasmos/errors.h"

const char *err_name(int err)
{
	static const char *const names[] = {
		"E_OK", "E_NO_TASK", "E_EXITED", "E_WOULD_BLOCK", "E_TOO_LARGE", "E_BAD_POINTER", "E_DEADLOCK",
		"E_TIMEOUT", "E_DENIED", "E_NO_MEMORY", "E_INVALID", "E_NOT_FOUND", "E_EXISTS", "E_BAD_MODULE",
	};
	if (err > 0)
		return "ok";
	if (err < E_MIN)
		return "E_?";
	return names[-err];
}
