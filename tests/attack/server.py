"""Hostile clients against bloc serve, one case per tests/attack/server_*.sh:

    python3 server.py CASE BLOC

Each case starts `BLOC serve --port 0` (BLOC_DATA names the data), attacks it with raw sockets
and exits 0 (pass) or 1 (fail, with what went wrong). Bounded: a few seconds and a handful of
connections each; no figure here depends on the machine's speed beyond liveness bounds ("answered
within 5 s"). The server's hidden settings for tests (src/server/http.c):
    BLOC_SERVE_DEADLINE_MS     the whole-request deadline (the idle one is at most it)
    BLOC_SERVE_QUEUE           how many expensive requests may wait for a worker
    BLOC_SERVE_MAX_PER_CLIENT  connections one peer address may hold
"""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


class Server:
    def __init__(self, bloc, args=(), env=None):
        self.log = tempfile.NamedTemporaryFile(prefix="bloc-serve-", suffix=".err", delete=False)
        e = dict(os.environ)
        e.update(env or {})
        self.proc = subprocess.Popen([bloc, "serve", "--port", "0", *args],
                                     stderr=self.log, stdout=subprocess.DEVNULL, env=e)
        deadline = time.time() + 60
        self.port = None
        while time.time() < deadline and self.port is None:
            m = re.search(r"listening on http://[^ ]*:(\d+)/", self.stderr())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                break
            else:
                time.sleep(0.05)
        if self.port is None:
            print("FAIL: bloc serve did not start:\n" + self.stderr())
            sys.exit(1)
        self.host = "127.0.0.1:%d" % self.port

    def stderr(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def connect(self, timeout=5):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        return s

    def stop(self, sig=signal.SIGTERM, within=10):
        """Stop it; its exit status (None when it did not stop in time)."""
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(within)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        err = self.stderr()
        if re.search(r"AddressSanitizer|LeakSanitizer|runtime error:", err):
            fail("sanitizer report:\n" + err)
        os.unlink(self.log.name)
        return rc


class Reader:
    """A socket and the bytes read ahead of the response being read (pipelined answers)."""

    def __init__(self, sock):
        self.sock, self.ahead = sock, b""

    def recv(self, n):
        if self.ahead:
            d, self.ahead = self.ahead, b""
            return d
        return self.sock.recv(n)


def read_response(s, head_only=False):
    """One response from s (a socket or a Reader): (status, headers dict (lower-case names),
    body); status 0 when the connection closed first."""
    r = s if isinstance(s, Reader) else Reader(s)
    buf = b""
    while b"\r\n\r\n" not in buf:
        try:
            chunk = r.recv(65536)
        except (ConnectionResetError, socket.timeout):
            chunk = b""
        if not chunk:
            return 0, {}, buf
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    n = 0 if head_only or status == 100 else int(headers.get("content-length", "0"))
    while len(rest) < n:
        chunk = r.recv(65536)
        if not chunk:
            break
        rest += chunk
    r.ahead = rest[n:]
    return status, headers, rest[:n]


def exchange(srv, raw, timeout=5):
    """Send raw bytes on a new connection, read one response: (status, headers, body)."""
    s = srv.connect(timeout)
    try:
        s.sendall(raw)
        return read_response(s)
    except OSError:
        return 0, {}, b""
    finally:
        s.close()


def get(srv, target, host=None, extra=""):
    return exchange(srv, ("GET %s HTTP/1.1\r\nHost: %s\r\n%s\r\n" %
                          (target, host or srv.host, extra)).encode("latin-1"))


def expect(name, got, status):
    if got[0] != status:
        fail("%s: status %s, expected %s: %r" % (name, got[0], status, got[2][:200]))
    elif status >= 400 and b'"error":{"status":%d' % status not in got[2]:
        fail("%s: not a JSON error body: %r" % (name, got[2][:200]))


def probe(srv, within=5.0):
    """GET /api/groups on a new connection; its latency in seconds, or None."""
    t = time.time()
    try:
        got = exchange(srv, ("GET /api/groups HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                             % srv.host).encode(), timeout=within)
    except OSError:
        return None
    return time.time() - t if got[0] == 200 else None


def closed_by_server(s, within):
    """Does the server close s (EOF or reset) within `within` seconds?"""
    s.settimeout(within)
    try:
        while True:
            if not s.recv(4096):
                return True
    except socket.timeout:
        return False
    except OSError:
        return True


# ---- cases ----

def case_slowloris(bloc):
    """Headers one line at a time, bodies one byte at a time: closed at the request deadline
    (bytes do not extend it), and meanwhile a probe is answered."""
    srv = Server(bloc, env={"BLOC_SERVE_DEADLINE_MS": "1500"})
    slow = []
    for i in range(12):
        s = srv.connect()
        if i % 2:
            s.sendall(b"GET /api/groups HTTP/1.1\r\nHost: %s\r\n" % srv.host.encode())
        else:
            s.sendall(b"POST /api/project HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json"
                      b"\r\nContent-Length: 1000\r\n\r\n{" % srv.host.encode())
        slow.append(s)
    start = time.time()
    closed = [False] * len(slow)
    while time.time() - start < 4 and not all(closed):
        for i, s in enumerate(slow):
            if closed[i]:
                continue
            try:
                s.sendall(b"X-A: b\r\n" if i % 2 else b" ")
            except OSError:
                closed[i] = True
        t = probe(srv)
        if t is None:
            fail("a probe was not answered while slow clients sent")
        time.sleep(0.3)
    if not all(closed):
        for i, s in enumerate(slow):
            if not closed[i] and not closed_by_server(s, 2):
                fail("slow connection %d still open %.1f s after its first byte "
                     "(deadline 1.5 s)" % (i, time.time() - start))
    for s in slow:
        s.close()
    if srv.stop() != 0:
        fail("exit status")


def case_idle_flood(bloc):
    """300 connections that send nothing, from one client allowed 100: the oldest are closed
    as new ones come, and a probe is answered at once."""
    srv = Server(bloc, env={"BLOC_SERVE_MAX_PER_CLIENT": "100"})
    idle = []
    for _ in range(300):
        try:
            idle.append(srv.connect())
        except OSError as e:
            fail("connect: %s" % e)
            break
    for _ in range(3):
        if probe(srv) is None:
            fail("a probe was not answered with 300 idle connections open")
    # the first ones were evicted to make room
    if not closed_by_server(idle[0], 3):
        fail("the oldest idle connection was not closed (limit 100 per client)")
    # an idle connection is closed at the idle deadline anyway
    for s in idle:
        s.close()
    srv2 = Server(bloc, env={"BLOC_SERVE_DEADLINE_MS": "800"})
    s = srv2.connect()
    if not closed_by_server(s, 4):
        fail("an idle connection outlived the idle deadline")
    s.close()
    for sv in (srv, srv2):
        if sv.stop() != 0:
            fail("exit status")


def case_host(bloc):
    """Only the server's own names: DNS rebinding gets 421, a missing, empty or repeated Host 400."""
    srv = Server(bloc, args=["--allow-host", "bloc.test"])
    g = "GET /api/groups HTTP/1.1\r\n%s\r\n"
    expect("Host evil.example", get(srv, "/api/groups", host="evil.example"), 421)
    expect("Host evil.example:port", get(srv, "/api/groups", host="evil.example:%d" % srv.port), 421)
    expect("Host 127.0.0.1:other port", get(srv, "/api/groups", host="127.0.0.1:1"), 421)
    expect("Host evil.example, a file", get(srv, "/", host="evil.example"), 421)
    expect("no Host", exchange(srv, (g % "").encode()), 400)
    expect("empty Host", exchange(srv, (g % "Host: \r\n").encode()), 400)
    expect("two Hosts", exchange(srv, (g % ("Host: %s\r\nHost: %s\r\n" % (srv.host, srv.host)))
                                 .encode()), 400)
    for ok in (srv.host, "localhost:%d" % srv.port, "LOCALHOST", "[::1]:%d" % srv.port,
               "bloc.test", "bloc.test:%d" % srv.port):
        expect("Host " + ok, get(srv, "/api/groups", host=ok), 200)
    if srv.stop() != 0:
        fail("exit status")


def post(srv, headers, body=b'{"base":"ge2024"}', target="/api/project"):
    return exchange(srv, b"POST %s HTTP/1.1\r\nHost: %s\r\n%sContent-Length: %d\r\n\r\n%s" %
                    (target.encode(), srv.host.encode(), headers.encode(), len(body), body))


def case_post_policy(bloc):
    """A web page elsewhere cannot drive the API: no text/plain or form POST (415), no foreign
    Origin (403), no cross-site fetch (403)."""
    srv = Server(bloc)
    j = "Content-Type: application/json\r\n"
    expect("text/plain POST", post(srv, "Content-Type: text/plain\r\n"), 415)
    expect("cross-origin text/plain POST",
           post(srv, "Content-Type: text/plain\r\nOrigin: http://evil.example\r\n"), 403)
    expect("form POST", post(srv, "Content-Type: application/x-www-form-urlencoded\r\n"), 415)
    expect("POST without a type", post(srv, ""), 415)
    expect("foreign Origin", post(srv, j + "Origin: http://evil.example\r\n"), 403)
    expect("Origin null", post(srv, j + "Origin: null\r\n"), 403)
    expect("Origin on another port", post(srv, j + "Origin: http://127.0.0.1:1\r\n"), 403)
    expect("cross-site fetch", post(srv, j + "Sec-Fetch-Site: cross-site\r\n"), 403)
    expect("own Origin", post(srv, j + "Origin: http://%s\r\n" % srv.host), 200)
    expect("JSON with a charset", post(srv, "Content-Type: application/json; charset=utf-8\r\n"),
           200)
    if srv.stop() != 0:
        fail("exit status")


def case_framing(bloc):
    """Framing two parsers could read differently is refused: 400, 413, 414, 431."""
    srv = Server(bloc)
    h = srv.host
    body = b'{"base":"ge2024"}'
    base = "POST /api/project HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n" % h
    cases = [
        ("two equal Content-Length", 400, (base + "Content-Length: %d\r\nContent-Length: %d\r\n\r\n"
                                           % (len(body), len(body))).encode() + body),
        ("conflicting Content-Length", 400, (base + "Content-Length: %d\r\nContent-Length: 5\r\n"
                                             "\r\n" % len(body)).encode() + body),
        ("Content-Length and chunked", 400, (base + "Content-Length: %d\r\nTransfer-Encoding: "
                                             "chunked\r\n\r\n" % len(body)).encode() + body),
        ("Transfer-Encoding gzip", 400, (base + "Transfer-Encoding: gzip\r\n\r\n").encode()),
        ("Content-Length not a number", 400, (base + "Content-Length: 1x\r\n\r\n").encode()),
        ("NUL in a header", 400, ("GET /api/groups HTTP/1.1\r\nHost: %s\r\nX-A: a\0b\r\n\r\n"
                                  % h).encode()),
        ("bare CR in a header", 400, ("GET /api/groups HTTP/1.1\r\nHost: %s\r\nX-A: a\rb\r\n\r\n"
                                      % h).encode()),
        ("bare LF ending a header", 400, ("GET /api/groups HTTP/1.1\r\nHost: %s\nX-A: b\r\n\r\n"
                                          % h).encode()),
        ("folded header", 400, ("GET /api/groups HTTP/1.1\r\nHost: %s\r\nX-A: a\r\n b\r\n\r\n"
                                % h).encode()),
        ("space before colon", 400, ("GET /api/groups HTTP/1.1\r\nHost : %s\r\n\r\n" % h).encode()),
        ("HTTP/2.0", 505, ("GET /api/groups HTTP/2.0\r\nHost: %s\r\n\r\n" % h).encode()),
        ("not HTTP", 400, b"HELLO\r\n\r\n"),
        ("escaped NUL", 400, ("GET /app.js%%00.txt HTTP/1.1\r\nHost: %s\r\n\r\n" % h).encode()),
        ("Content-Length over 64 KiB", 413, (base + "Content-Length: 70000\r\n\r\n").encode()),
        ("1000 empty query arguments", 414, ("GET /api/groups?%s HTTP/1.1\r\nHost: %s\r\n\r\n"
                                             % ("&" * 1000, h)).encode()),
        ("17 query arguments", 414, ("GET /api/groups?%s HTTP/1.1\r\nHost: %s\r\n\r\n"
                                     % ("&".join("a%d=1" % i for i in range(17)), h)).encode()),
        ("target over 4 KiB", 414, ("GET /%s HTTP/1.1\r\nHost: %s\r\n\r\n" % ("a" * 5000, h))
         .encode()),
        ("headers over 16 KiB", 431, ("GET / HTTP/1.1\r\nHost: %s\r\nX-A: %s\r\n\r\n"
                                      % (h, "a" * 17000)).encode()),
    ]
    for name, status, raw in cases:
        expect(name, exchange(srv, raw), status)
    # a chunked body: decoded when small, 413 when it passes 64 KiB
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (body[:5], body[5:])) + b"0\r\n\r\n"
    expect("chunked body", exchange(srv, (base + "Transfer-Encoding: chunked\r\n\r\n").encode()
                                    + chunks), 200)
    big = b"".join(b"1000\r\n" + b" " * 4096 + b"\r\n" for _ in range(17)) + b"0\r\n\r\n"
    expect("chunked body over 64 KiB", exchange(srv, (base + "Transfer-Encoding: chunked\r\n\r\n")
                                                .encode() + big), 413)
    expect("chunk size overflow", exchange(srv, (base + "Transfer-Encoding: chunked\r\n\r\n")
                                           .encode() + b"ffffffffffffffffff\r\n"), 413)
    if probe(srv) is None:
        fail("not answering after the malformed requests")
    if srv.stop() != 0:
        fail("exit status")


def case_pipeline(bloc):
    """Keep-alive and pipelining: 101 GETs sent at once are all answered, in order, on one
    connection; a connection serves request after request; Connection: close and HTTP/1.0
    close."""
    srv = Server(bloc)
    s = srv.connect()
    s.sendall(b"".join(b"GET /api/groups?n=%d HTTP/1.1\r\nHost: %s\r\n\r\n" %
                       (i, srv.host.encode()) if i % 2 else
                       b"GET /api/groups HTTP/1.1\r\nHost: %s\r\n\r\n" % srv.host.encode()
                       for i in range(101)))
    r = Reader(s)
    answered = 0
    for i in range(101):
        status, _, _ = read_response(r)
        if status != (400 if i % 2 else 200):
            fail("pipelined request %d: status %s" % (i, status))
            break
        answered += 1
    if answered != 101:
        fail("%d of 101 pipelined requests answered" % answered)
    s.close()
    s = srv.connect()
    for i in range(5):
        s.sendall(b"GET /api/groups HTTP/1.1\r\nHost: %s\r\n\r\n" % srv.host.encode())
        status, headers, _ = read_response(s)
        if status != 200 or headers.get("connection") == "close":
            fail("keep-alive request %d: %s %s" % (i, status, headers))
    s.sendall(b"HEAD /index.html HTTP/1.1\r\nHost: %s\r\n\r\n" % srv.host.encode())
    status, headers, _ = read_response(s, head_only=True)
    if status != 200 or int(headers.get("content-length", "0")) == 0:
        fail("HEAD on a kept connection: %s %s" % (status, headers))
    s.sendall(b"GET /api/groups HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
              % srv.host.encode())
    status, headers, _ = read_response(s)
    if status != 200 or headers.get("connection") != "close" or not closed_by_server(s, 3):
        fail("Connection: close was not honoured")
    s.close()
    s = srv.connect()
    s.sendall(b"GET /api/groups HTTP/1.0\r\nHost: %s\r\n\r\n" % srv.host.encode())
    if read_response(s)[0] != 200 or not closed_by_server(s, 3):
        fail("HTTP/1.0 without keep-alive: not answered and closed")
    s.close()
    if srv.stop() != 0:
        fail("exit status")


HEAVY = "/api/power?contest=ge2024&group=muslim&sims=%d&seed=%d"


def case_heavy_queue(bloc):
    """With no room in the heavy queue, a long request beyond the workers gets 503 with
    Retry-After, and a cheap request is answered meanwhile."""
    srv = Server(bloc, env={"BLOC_SERVE_QUEUE": "0"})
    conns = []
    for i in range(8):
        s = srv.connect(timeout=120)
        s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (HEAVY % (1500, 100 + i), srv.host))
                  .encode())
        conns.append(s)
    time.sleep(0.3)
    if probe(srv) is None:
        fail("a cheap request was not answered while long ones ran")
    statuses = []
    for s in conns:
        status, headers, body = read_response(s)
        statuses.append(status)
        if status == 503 and not re.fullmatch(r"[0-9]+", headers.get("retry-after", "")):
            fail("503 without Retry-After: %s" % headers)
        s.close()
    if 503 not in statuses or 200 not in statuses:
        fail("8 long requests at once with no queue: statuses %s (expected 200s and 503s)"
             % statuses)
    if srv.stop() != 0:
        fail("exit status")


def case_stop(bloc):
    """SIGTERM while a long request is being computed: the server stops at once anyway."""
    srv = Server(bloc)
    s = srv.connect(timeout=60)
    s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (HEAVY % (10000, 1), srv.host)).encode())
    idle = srv.connect()
    time.sleep(0.5)
    t = time.time()
    rc = srv.stop(within=8)
    took = time.time() - t
    if rc != 0:
        fail("SIGTERM during a long request: exit %s" % rc)
    elif took > 5:
        fail("SIGTERM during a long request: stopped after %.1f s" % took)
    for c in (s, idle):
        c.close()


def case_error_paths(bloc):
    """No error body names a file of the server's machine (the data directory, a home, /tmp)."""
    srv = Server(bloc)
    data = os.path.realpath(os.environ.get("BLOC_DATA", "/nonexistent"))
    asks = [get(srv, t) for t in (
        "/api/results?contest=ge1066", "/api/results?contest=results/ge2024/x.csv",
        "/api/results?contest=../../etc/passwd", "/api/results?contest=census21-religion",
        "/api/power?contest=ge2024&group=martians", "/api/hexmap?contest=nope",
        "/api/seat?contest=ge2024&seat=nope", "/api/project?base=ge2024&scenario=x.json",
        "/api/ei?contest=ge2024&units=units.csv", "/api/project?base=ge2024&shares=XYZ%3D30")]
    asks.append(post(srv, "Content-Type: application/json\r\n", b'{"base":"ge2024",'
                     b'"shares":{"XYZ":30}}'))
    asks.append(post(srv, "Content-Type: application/json\r\n", b'{"base":"/etc/passwd"}'))
    for status, _, body in asks:
        text = body.decode("utf-8", "replace")
        if status < 400:
            fail("expected an error, got %s: %s" % (status, text[:200]))
        for bad in (data, "/work/", "/home/", "/tmp/", "/root/"):
            if bad in text:
                fail("an error body names %s: %s" % (bad, text[:300]))
    if srv.stop() != 0:
        fail("exit status")


def main():
    if len(sys.argv) != 3:
        print("usage: server.py CASE BLOC")
        return 2
    globals()["case_" + sys.argv[1]](sys.argv[2])
    print("%s: %s" % (sys.argv[1], "failed" if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
