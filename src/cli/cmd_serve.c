/* bloc serve: the command line of the HTTP front-end (src/server/), which does the rest. */
#include "cli.h"

#include "../server/server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmd_serve(struct cli_ctx *ctx);

static const struct cli_option serve_options[] = {
    {"port", 0, "N", "TCP port (default 8080; 0: any free port, printed at start)"},
    {"bind", 0, "ADDR",
     "address to listen on (default 127.0.0.1; an IPv4 or IPv6 address, or localhost)"},
    {"allow-remote", 0, NULL,
     "allow a --bind address other machines can reach (there is no authentication)"},
    {"allow-host", 0, "NAME",
     "also answer requests whose Host is NAME (with or without :PORT; repeatable)"},
    CLI_OPTIONS_END};

const struct cli_command cli_cmd_serve = {
    .name = "serve",
    .fn = cmd_serve,
    .summary = "Serve the web swingometer and its JSON API over HTTP",
    .args = "",
    .min_pos = 0,
    .max_pos = 0,
    .opts = serve_options,
    .arguments = "",
    .details =
        "Serves the web app at / and the JSON API of docs/api.md under /api/ until SIGINT or\n"
        "SIGTERM (then exits 0). Listens on 127.0.0.1 unless --bind names another address;\n"
        "an address other machines can reach also needs --allow-remote. The data directory is\n"
        "read once at start; contests are loaded on first use and answers kept in memory.\n"
        "Requests must name the server as Host: 127.0.0.1, localhost, [::1] or the --bind\n"
        "address (each with or without the port), or an --allow-host NAME; others get 421,\n"
        "so that a web page on another name cannot use the API (DNS rebinding). POST takes\n"
        "Content-Type: application/json only (415) and no other site's Origin (403).\n"
        "Limits: request body 64 KiB (413), URL 4 KiB or 16 query arguments (414), headers\n"
        "16 KiB (431); a request must arrive whole within 10 s, an idle connection is closed\n"
        "after 5 s; long questions (power, ei) wait in a queue of 8 (503 beyond). Only the\n"
        "files compiled into the binary are served; no other path is read from disk.\n"
        "\nExamples:\n  bloc serve\n  bloc serve --port 8000 --data ./data\n"
        "  bloc serve --bind 0.0.0.0 --allow-remote --allow-host myhost.lan\n"};

static int cmd_serve(struct cli_ctx *ctx)
{
	const char *port_text = cli_value(&ctx->args, "port"),
	           *bind = cli_value(&ctx->args, "bind");
	struct srv_options o;
	const char *hosts[CLI_MAX_SEQ];
	unsigned long port = 8080;
	size_t i;
	char *end;
	int loopback;

	if (port_text) {
		errno = 0;
		port = strtoul(port_text, &end, 10);
		if (end == port_text || *end || errno || port_text[0] == '-' ||
		    port_text[0] == '+' || port > 65535)
			return bloc_error_set(BLOC_EUSAGE,
			                      "--port: expected a whole number from 0 to 65535, "
			                      "got '%s'",
			                      port_text);
	}
	o.data_dir = ctx->data_dir;
	o.bind = bind ? bind : "127.0.0.1";
	o.port = (unsigned)port;
	o.allow_remote = cli_value(&ctx->args, "allow-remote") != NULL;
	o.threads = 0;
	o.workers = 0;
	o.nallow_hosts = 0;
	for (i = 0; i < ctx->args.nseq; i++)
		if (strcmp(ctx->args.seq[i].opt->name, "allow-host") == 0) {
			const char *h = ctx->args.seq[i].value;
			if (!*h || strcspn(h, " \t/\\@,") != strlen(h))
				return bloc_error_set(
				    BLOC_EUSAGE, "--allow-host: expected a host name, got '%s'", h);
			hosts[o.nallow_hosts++] = h;
		}
	o.allow_hosts = hosts;
	if ((loopback = srv_is_loopback(o.bind)) < 0)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--bind: expected an IPv4 or IPv6 address, got '%s'", o.bind);
	if (!loopback && !o.allow_remote)
		return bloc_error_set(BLOC_EUSAGE,
		                      "--bind %s: other machines could reach the server; add "
		                      "--allow-remote if that is what you want",
		                      o.bind);
	return srv_run(&o);
}
