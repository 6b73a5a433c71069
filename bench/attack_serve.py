"""bloc serve under attack (a benchmark, not a test; bench/attack_serve.sh runs it):

  flood   1,000 idle connections and 70 slowloris connections (one header line every 5 s, a
          closed one opened again), all held for SECONDS, while a probe GETs /api/groups on a
          new connection every 0.5 s: its latency (acceptance: each answered within 1 s)
  heavy   six clients asking the most expensive question over and over
          (/api/power?contest=ge2024&group=muslim&sims=10000, a new seed each time, so never
          cached) while one client GETs cheap answers on a kept connection: their latency
          (acceptance: p99 under 100 ms)

    python3 attack_serve.py URL MODE SECONDS
"""
import selectors
import socket
import sys
import threading
import time


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))] if xs else float("nan")


def summary(name, lat, failed):
    ms = [x * 1000 for x in lat]
    print("attack: %s: %d answered, %d failed; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms"
          % (name, len(ms), failed, pct(ms, 50), pct(ms, 99), max(ms) if ms else float("nan")),
          flush=True)


def read_response(s):
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            return 0
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    n = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            n = int(v)
    while len(rest) < n:
        chunk = s.recv(65536)
        if not chunk:
            return 0
        rest += chunk
    return int(head.split()[1])


def probe(host, port, hosthdr, timeout=5):
    t = time.time()
    try:
        s = socket.create_connection((host, port), timeout=timeout)
        s.sendall(b"GET /api/groups HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % hosthdr)
        ok = read_response(s) == 200
        s.close()
    except OSError:
        ok = False
    return time.time() - t if ok else None


class Flood:
    """Idle and slowloris connections, opened again when the server closes them."""

    def __init__(self, host, port, hosthdr, idle, slow):
        self.addr, self.hosthdr = (host, port), hosthdr
        self.sel = selectors.DefaultSelector()
        self.conns = {}  # socket -> "idle" or "slow"
        self.reopened = 0
        self.stop = False
        for _ in range(idle):
            self.open("idle")
        for _ in range(slow):
            self.open("slow")

    def open(self, kind):
        try:
            s = socket.create_connection(self.addr, timeout=2)
        except OSError:
            return
        s.setblocking(False)
        if kind == "slow":
            try:
                s.send(b"GET /api/groups HTTP/1.1\r\nHost: %s\r\n" % self.hosthdr)
            except OSError:
                pass
        self.conns[s] = kind
        self.sel.register(s, selectors.EVENT_READ)

    def close(self, s):
        kind = self.conns.pop(s)
        self.sel.unregister(s)
        s.close()
        return kind

    def run(self):
        last_line = time.time()
        while not self.stop:
            for key, _ in self.sel.select(0.2):
                s = key.fileobj
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:  # closed by the server: open another
                    self.open(self.close(s))
                    self.reopened += 1
            if time.time() - last_line >= 5:
                last_line = time.time()
                for s, kind in list(self.conns.items()):
                    if kind == "slow":
                        try:
                            s.send(b"X-Slow: 1\r\n")
                        except OSError:
                            pass
        for s in list(self.conns):
            self.close(s)


def flood(host, port, hosthdr, secs):
    f = Flood(host, port, hosthdr, 1000, 70)
    print("attack: flood: %d connections open (1000 idle, 70 slowloris)" % len(f.conns),
          flush=True)
    t = threading.Thread(target=f.run)
    t.start()
    lat, failed = [], 0
    end = time.time() + secs
    while time.time() < end:
        x = probe(host, port, hosthdr)
        if x is None or x > 1:
            failed += 1
        if x is not None:
            lat.append(x)
        time.sleep(0.5)
    f.stop = True
    t.join()
    print("attack: flood: the server closed %d attacking connections (opened again)"
          % f.reopened, flush=True)
    summary("flood: probe (new connection, /api/groups; failed = not answered within 1 s)",
            lat, failed)


def heavy_client(host, port, hosthdr, seed0, end, statuses):
    seed = seed0
    while time.time() < end:
        try:
            s = socket.create_connection((host, port), timeout=120)
            s.sendall(b"GET /api/power?contest=ge2024&group=muslim&sims=10000&seed=%d HTTP/1.1"
                      b"\r\nHost: %s\r\nConnection: close\r\n\r\n" % (seed, hosthdr))
            st = read_response(s)
            s.close()
        except OSError:
            st = 0
        statuses[st] = statuses.get(st, 0) + 1
        if st == 503:
            time.sleep(1)
        seed += 1000


def heavy(host, port, hosthdr, secs):
    statuses = {}
    end = time.time() + secs
    threads = [threading.Thread(target=heavy_client, args=(host, port, hosthdr, i, end, statuses))
               for i in range(6)]
    for t in threads:
        t.start()
    time.sleep(1)
    lat, failed = [], 0
    s = socket.create_connection((host, port), timeout=10)
    paths = [b"/api/groups", b"/api/results?contest=ge2024", b"/index.html",
             b"/api/hexmap?contest=ge2024"]
    i = 0
    while time.time() < end - 1:
        t = time.time()
        try:
            s.sendall(b"GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (paths[i % len(paths)], hosthdr))
            ok = read_response(s) == 200
        except OSError:
            ok = False
        if ok:
            lat.append(time.time() - t)
        else:
            failed += 1
            s = socket.create_connection((host, port), timeout=10)
        i += 1
        time.sleep(0.01)
    s.close()
    for t in threads:
        t.join()
    print("attack: heavy: six clients' power requests (sims=10000): statuses %s" % statuses,
          flush=True)
    summary("heavy: cheap requests meanwhile (groups, results, index.html, hexmap; kept "
            "connection)", lat, failed)


def main():
    url, mode, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
    hostport = url.split("//")[1].rstrip("/")
    host, port = hostport.rsplit(":", 1)
    args = (host, int(port), hostport.encode(), secs)
    if mode in ("flood", "both"):
        flood(*args)
    if mode in ("heavy", "both"):
        heavy(*args)


if __name__ == "__main__":
    main()
