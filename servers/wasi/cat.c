/* cat FILE...: copies each file (or stdin for "-" or no argument) to stdout. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int copy(FILE *in)
{
	char buf[512];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, stdout);
	return ferror(in) ? -1 : 0;
}

int main(int argc, char **argv)
{
	int status = 0;
	if (argc < 2)
		return copy(stdin) ? 1 : 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			if (copy(stdin))
				status = 1;
			continue;
		}
		FILE *f = fopen(argv[i], "r");
		if (!f) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (copy(f)) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
		fclose(f);
	}
	fflush(stdout);
	return status;
}
