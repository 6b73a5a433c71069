/* bloc serve: the command line of the HTTP front-end (src/server/), which does the rest. */
#include "cli.h"
#include "../server/server.h"

#include <errno.h>
#include <stdlib.h>

int cmd_serve(struct cli_ctx *ctx)
{
	const struct cli_args *a = &ctx->args;
	struct srv_options o;
	unsigned long port = 8080;
	char *end;
	int loopback;

	if (a->port) {
		errno = 0;
		port = strtoul(a->port, &end, 10);
		if (end == a->port || *end || errno || a->port[0] == '-' || a->port[0] == '+' ||
		    port > 65535)
			return cli_usage_error(ctx,
			                       "--port: expected a whole number from 0 to 65535, "
			                       "got '%s'",
			                       a->port);
	}
	o.data_dir = ctx->data_dir;
	o.bind = a->bind ? a->bind : "127.0.0.1";
	o.port = (unsigned)port;
	o.allow_remote = a->allow_remote;
	o.threads = 0;
	if ((loopback = srv_is_loopback(o.bind)) < 0)
		return cli_usage_error(ctx, "--bind: expected an IPv4 or IPv6 address, got '%s'",
		                       o.bind);
	if (!loopback && !o.allow_remote)
		return cli_usage_error(ctx,
		                       "--bind %s: other machines could reach the server; add "
		                       "--allow-remote if that is what you want",
		                       o.bind);
	if (srv_run(&o) < 0)
		return cli_fail(ctx);
	return BLOC_EXIT_OK;
}
