#!/usr/bin/python3
"""Misbehaving TCP peers on 127.0.0.1 for the endpoint tests.

net-peer.py MODE PORTFILE: listens on a free port (written to PORTFILE)
and, for each connection: silent (accepts, never speaks), alert (answers
the ClientHello with a TLS handshake_failure alert), plain (answers in
plain text, as a server without TLS), proxy (an HTTP CONNECT proxy that
appends each CONNECT target to PORTFILE.log), reply (net-peer.py reply
PORTFILE FILE [after]: sends FILE's bytes on connect, or after the
client's first bytes with "after", then closes). Runs until killed."""
import socket
import sys
import threading
import time

ALERT = bytes([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])


def relay(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    finally:
        for c in (a, b):
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def proxy(conn, log):
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 8192:
        d = conn.recv(4096)
        if not d:
            return
        head += d
    line = head.split(b"\r\n")[0].decode("latin-1").split()
    if len(line) < 2 or line[0] != "CONNECT":
        conn.sendall(b"HTTP/1.1 405 CONNECT only\r\n\r\n")
        return
    with open(log, "a") as f:
        f.write(line[1] + "\n")
    host, port = line[1].rsplit(":", 1)
    up = socket.create_connection((host.strip("[]"), int(port)), 5)
    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    threading.Thread(target=relay, args=(up, conn), daemon=True).start()
    relay(conn, up)


def serve(conn, mode):
    try:
        if mode == "proxy":
            proxy(conn, sys.argv[2] + ".log")
            return
        if mode == "reply":
            conn.settimeout(10)
            if len(sys.argv) > 4 and sys.argv[4] == "after":
                conn.recv(4096)
            with open(sys.argv[3], "rb") as f:
                conn.sendall(f.read())
            time.sleep(0.3)
            return
        if mode == "silent":
            time.sleep(3600)
        conn.settimeout(10)
        conn.recv(4096)
        if mode == "alert":
            conn.sendall(ALERT)
        else:
            conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\nno TLS here\r\n")
        time.sleep(0.5)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    mode, portfile = sys.argv[1], sys.argv[2]
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    import os
    os.rename(portfile + ".tmp", portfile)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, mode), daemon=True).start()


main()
