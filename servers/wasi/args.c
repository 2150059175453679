/* Echoes its arguments (argv[0] is the task name) and its environment. */
#include <stdio.h>

extern char **environ;

int main(int argc, char **argv)
{
	printf("args: argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("args: argv[%d]=%s\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("args: env %s\n", *e);
	return 0;
}
