/* bloc serve's request parser (src/server/parse.c, pure functions over bytes): where a head ends
 * and its limits, strict header parsing, chunked bodies decoded in place, and the target split
 * into a percent-decoded path and arguments. The file is compiled in here (the server is part of
 * the bloc binary, not of the library). */
#include "../../src/server/parse.c"

#include "harness.h"

static int head_of(const char *text, struct http_head *h)
{
	size_t scan = 0, len = 0;
	int r = http_head_end(text, strlen(text), &scan, &len);

	if (r != 1)
		return r < 0 ? -r : -1;
	return http_parse_head(text, len, h);
}

BLOC_TEST(head_end)
{
	const char *req = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET";
	size_t scan = 0, len = 0;
	char big[HTTP_HEAD_MAX + 100];

	BLOC_CHECK(http_head_end(req, 10, &scan, &len) == 0);
	BLOC_CHECK(http_head_end(req, strlen(req), &scan, &len) == 1);
	BLOC_CHECK(len == strlen(req) - 3);
	memset(big, 'a', sizeof(big));
	scan = 0;
	BLOC_CHECK(http_head_end(big, sizeof(big), &scan, &len) == -414);
	memcpy(big, "GET / HTTP/1.1\r\n", 16);
	scan = 0;
	BLOC_CHECK(http_head_end(big, sizeof(big), &scan, &len) == -431);
}

BLOC_TEST(head_fields)
{
	struct http_head h;

	BLOC_CHECK(head_of("POST /api/x?a=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: "
	                   "12\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
	                   &h) == 0);
	BLOC_CHECK(strcmp(h.method, "POST") == 0);
	BLOC_CHECK(h.target.n == 10 && memcmp(h.target.p, "/api/x?a=1", 10) == 0);
	BLOC_CHECK(h.content_length == 12 && !h.chunked && !h.keep_alive && h.minor == 1);
	BLOC_CHECK(h.host.n == 14 && h.content_type.n == 16);
	BLOC_CHECK(head_of("GET / HTTP/1.0\r\nHost: a\r\n\r\n", &h) == 0 && !h.keep_alive);
	BLOC_CHECK(head_of("GET / HTTP/1.0\r\nHost: a\r\nConnection: Keep-Alive\r\n\r\n", &h) ==
	               0 &&
	           h.keep_alive);
	BLOC_CHECK(head_of("GET / HTTP/1.1\r\nHost: a\r\n\r\n", &h) == 0 && h.keep_alive);
}

BLOC_TEST(head_refused)
{
	static const struct {
		const char *text;
		int status;
	} bad[] = {
	    {"GET / HTTP/1.1\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\nHost:\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 70000\r\n\r\n", 413},
	    {"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n",
	     400},
	    {"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\nHost: a\r\nX: a\nb\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400},
	    {"GET / HTTP/1.1\r\nHost: a\r\nOrigin: x\r\nOrigin: y\r\n\r\n", 400},
	    {"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
	    {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
	    {"GET / http/1.1\r\nHost: a\r\n\r\n", 400},
	    {"VERYLONGMETHODNAME / HTTP/1.1\r\nHost: a\r\n\r\n", 501},
	};
	struct http_head h;
	size_t i;
	char nul[] = "GET / HTTP/1.1\r\nHost: a\r\nX: a?b\r\n\r\n";

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (head_of(bad[i].text, &h) != bad[i].status)
			BLOC_FAIL_("%s: %d, expected %d", bad[i].text, head_of(bad[i].text, &h),
			           bad[i].status);
	nul[29] = '\0';
	BLOC_CHECK(http_parse_head(nul, sizeof(nul) - 1, &h) == 400);
}

BLOC_TEST(chunked)
{
	char buf[256];
	struct http_chunked st;
	size_t in, out, i;
	const char *body = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT";
	int r = 0;

	/* all at once, then a byte at a time: the same body */
	for (i = 0; i < 2; i++) {
		memset(&st, 0, sizeof(st));
		strcpy(buf, body);
		in = out = 0;
		if (i == 0)
			r = http_chunked_step(&st, buf, &in, strlen(body), &out);
		else
			for (r = 0; r == 0 && in < strlen(body);)
				r = http_chunked_step(&st, buf, &in, in + 1, &out);
		BLOC_CHECK(r == 1);
		BLOC_CHECK(out == 11 && memcmp(buf, "hello world", 11) == 0);
		BLOC_CHECK(strcmp(buf + in, "NEXT") == 0);
	}
	memset(&st, 0, sizeof(st));
	strcpy(buf, "10001\r\n");
	in = out = 0;
	BLOC_CHECK(http_chunked_step(&st, buf, &in, strlen(buf), &out) == 413);
	memset(&st, 0, sizeof(st));
	strcpy(buf, "5\r\nhelloXX");
	in = out = 0;
	BLOC_CHECK(http_chunked_step(&st, buf, &in, strlen(buf), &out) == 400);
	memset(&st, 0, sizeof(st));
	strcpy(buf, "zz\r\n");
	in = out = 0;
	BLOC_CHECK(http_chunked_step(&st, buf, &in, strlen(buf), &out) == 400);
}

BLOC_TEST(target)
{
	char scratch[SRV_MAX_URL + 2], many[200];
	struct srv_arg args[SRV_MAX_ARGS];
	const char *path;
	size_t n, i;
	struct http_text t;

	t.p = "/api/a%20b+c?x=1+2&&y=%41%zz&flag";
	t.n = strlen(t.p);
	BLOC_REQUIRE(http_target(t, scratch, &path, args, &n) == 0);
	BLOC_CHECK(strcmp(path, "/api/a b+c") == 0);
	BLOC_REQUIRE(n == 3);
	BLOC_CHECK(strcmp(args[0].name, "x") == 0 && strcmp(args[0].value, "1 2") == 0);
	BLOC_CHECK(strcmp(args[1].name, "y") == 0 && strcmp(args[1].value, "A%zz") == 0);
	BLOC_CHECK(strcmp(args[2].name, "flag") == 0 && strcmp(args[2].value, "") == 0);
	t.p = "/app.js%00.txt";
	t.n = strlen(t.p);
	BLOC_CHECK(http_target(t, scratch, &path, args, &n) == 400);
	t.p = "/x?a=%00";
	t.n = strlen(t.p);
	BLOC_CHECK(http_target(t, scratch, &path, args, &n) == 400);
	strcpy(many, "/x?");
	for (i = 0; i < 20; i++)
		strcat(many, "&");
	t.p = many;
	t.n = strlen(many);
	BLOC_CHECK(http_target(t, scratch, &path, args, &n) == 414);
}

BLOC_TEST(tokens)
{
	struct http_text v = {"keep-alive, Close", 17};

	BLOC_CHECK(http_has_token(v, "close"));
	BLOC_CHECK(http_has_token(v, "keep-alive"));
	BLOC_CHECK(!http_has_token(v, "upgrade"));
}
