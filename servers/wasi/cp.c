/* cp SRC DST: copies a file with POSIX open/read/write (700-byte pieces, so
 * transfers straddle the fs protocol's 1,024-byte messages). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: cp SRC DST\n");
		return 2;
	}
	int in = open(argv[1], O_RDONLY);
	if (in < 0) {
		fprintf(stderr, "cp: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		fprintf(stderr, "cp: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	char buf[700];
	long total = 0;
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0) {
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w <= 0) {
				fprintf(stderr, "cp: %s: %s\n", argv[2], strerror(errno));
				return 1;
			}
			done += w;
		}
		total += n;
	}
	if (n < 0) {
		fprintf(stderr, "cp: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(in);
	if (close(out) != 0) {
		fprintf(stderr, "cp: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	printf("cp: %ld bytes\n", total);
	return 0;
}
