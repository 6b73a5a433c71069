#include "bloc/error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char message[1024];

int bloc_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return code;
}

const char *bloc_error_last(void)
{
	return message;
}

void bloc_error_clear(void)
{
	message[0] = '\0';
}
