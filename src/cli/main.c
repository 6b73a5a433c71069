#include <stdio.h>
int main(void)
{
	puts("bloc");
	return 0;
}
