/* The smallest WASI program: one line on stdout (fd 1: the kernel console). */
#include <stdio.h>

int main(void)
{
	printf("Hello from WASI!\n");
	return 0;
}
