/*
 * Kernel and server error codes as WASI errno values. The codes come from
 * servers/idl/messages.idl (the generated C header is included as is, so a
 * renumbering there cannot silently skew this table).
 */
#include "core/wasi_state.h"
#include "core/wasi_abi.h"
#include "../../servers/sdk/include/wasmos/messages.h"

uint16_t wasi_errno(int err)
{
	switch (err) {
	case E_BAD_POINTER: return WASI_EFAULT;
	case E_DEADLOCK: return WASI_EDEADLK;
	case E_TIMEOUT: return WASI_ETIMEDOUT;
	case E_DENIED: return WASI_EACCES;      /* "fs" or "console" not in the task's uses */
	case E_NO_MEMORY: return WASI_ENOMEM;
	case E_INVALID: return WASI_EINVAL;
	case E_NOT_FOUND: return WASI_ENOENT;
	case E_EXISTS: return WASI_EEXIST;
	case E_TOO_LARGE: return WASI_EMSGSIZE;
	case E_WOULD_BLOCK: return WASI_EAGAIN;
	case E_NOT_DIR: return WASI_ENOTDIR;
	case E_IS_DIR: return WASI_EISDIR;
	case E_NOT_EMPTY: return WASI_ENOTEMPTY;
	case E_READ_ONLY: return WASI_EROFS;
	case E_BAD_HANDLE: return WASI_EBADF;
	case E_NAME_TOO_LONG: return WASI_ENAMETOOLONG;
	case E_NO_SPACE: return WASI_ENOSPC;
	case E_NOT_WASM: return WASI_ENOEXEC;
	case E_INTERRUPTED: return WASI_EINTR;
	case E_UNSUPPORTED: return WASI_ENOTSUP;
	default: return WASI_EIO;               /* E_IO, a server gone (E_NO_TASK, E_EXITED), anything unexpected */
	}
}
