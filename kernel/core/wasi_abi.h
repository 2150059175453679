/*
 * The numbers and layouts of WASI preview 1 (wasi_snapshot_preview1), as the
 * witx files define them: what the guest's wasi-libc expects to find in its
 * linear memory. Only what the kernel's implementation uses.
 */
#ifndef CORE_WASI_ABI_H
#define CORE_WASI_ABI_H

/* errno */
#define WASI_ESUCCESS     0
#define WASI_EACCES       2
#define WASI_EAGAIN       6
#define WASI_EBADF        8
#define WASI_EDEADLK      16
#define WASI_EEXIST       20
#define WASI_EFAULT       21
#define WASI_EINTR        27
#define WASI_EINVAL       28
#define WASI_EIO          29
#define WASI_EISDIR       31
#define WASI_EMFILE       33
#define WASI_EMSGSIZE     35
#define WASI_ENAMETOOLONG 37
#define WASI_ENOENT       44
#define WASI_ENOEXEC      45
#define WASI_ENOMEM       48
#define WASI_ENOSPC       51
#define WASI_ENOSYS       52
#define WASI_ENOTDIR      54
#define WASI_ENOTEMPTY    55
#define WASI_ENOTSUP      58
#define WASI_EOVERFLOW    61
#define WASI_EROFS        69
#define WASI_ESPIPE       70
#define WASI_ETIMEDOUT    73
#define WASI_ENOTCAPABLE  76

/* clockid */
#define WASI_CLOCK_REALTIME 0
#define WASI_CLOCK_MONOTONIC 1
#define WASI_CLOCK_PROCESS_CPUTIME 2
#define WASI_CLOCK_THREAD_CPUTIME 3

/* filetype */
#define WASI_FILETYPE_UNKNOWN 0
#define WASI_FILETYPE_CHARACTER_DEVICE 2
#define WASI_FILETYPE_DIRECTORY 3
#define WASI_FILETYPE_REGULAR_FILE 4

/* rights (only those the implementation looks at; the rest pass through) */
#define WASI_RIGHT_FD_READ  (1ull << 1)
#define WASI_RIGHT_FD_SEEK  (1ull << 2)
#define WASI_RIGHT_FD_TELL  (1ull << 5)
#define WASI_RIGHT_FD_WRITE (1ull << 6)
#define WASI_RIGHTS_ALL     ((1ull << 30) - 1) /* the 30 rights preview 1 defines */

/* fdflags, oflags, lookupflags, whence */
#define WASI_FDFLAG_APPEND   1
#define WASI_FDFLAG_NONBLOCK 4
#define WASI_OFLAG_CREAT     1
#define WASI_OFLAG_DIRECTORY 2
#define WASI_OFLAG_EXCL      4
#define WASI_OFLAG_TRUNC     8
#define WASI_WHENCE_SET 0
#define WASI_WHENCE_CUR 1
#define WASI_WHENCE_END 2

/* poll_oneoff */
#define WASI_EVENTTYPE_CLOCK    0
#define WASI_EVENTTYPE_FD_READ  1
#define WASI_EVENTTYPE_FD_WRITE 2
#define WASI_SUBCLOCK_ABSTIME   1

/* Layouts: sizes and field offsets in linear memory (little-endian). */
#define WASI_IOVEC_SIZE        8   /* u32 buf, u32 len */
#define WASI_FDSTAT_SIZE       24  /* u8 filetype @0, u16 flags @2, u64 rights @8, u64 inheriting @16 */
#define WASI_FILESTAT_SIZE     64  /* u64 dev @0, ino @8, u8 filetype @16, u64 nlink @24, size @32, atim @40, mtim @48, ctim @56 */
#define WASI_PRESTAT_SIZE      8   /* u8 tag (0 = dir) @0, u32 name_len @4 */
#define WASI_DIRENT_SIZE       24  /* u64 next @0, u64 ino @8, u32 namlen @16, u8 type @20; the name follows */
#define WASI_SUBSCRIPTION_SIZE 48  /* u64 userdata @0, u8 tag @8; clock: u32 id @16, u64 timeout @24, u64 precision @32, u16 flags @40; fd: u32 fd @16 */
#define WASI_EVENT_SIZE        32  /* u64 userdata @0, u16 error @8, u8 type @10, u64 nbytes @16, u16 flags @24 */

#endif
