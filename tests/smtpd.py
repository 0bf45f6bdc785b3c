#!/usr/bin/python3
"""A small SMTP server for the mail tests (aiosmtpd, Debian's python3-aiosmtpd).

Listens on 127.0.0.1 on a free port, writes the port to --port-file once it
listens, and stores every message it accepts as DIR/N.eml (the DATA as
received, dot-unstuffed) with DIR/N.env (the envelope: "from ADDR", one
"rcpt ADDR" per recipient, "tls yes|no", "auth USER|-"). Stops by itself
after --lifetime seconds.

Options: --starttls CERT KEY offers STARTTLS; --implicit-tls CERT KEY
speaks TLS from the start (smtps://); --auth USER PASSWORD offers AUTH
PLAIN/LOGIN (only after TLS) and requires it; --reject ADDR refuses that
recipient with 550.
"""
import argparse
import asyncio
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, outdir, reject):
        self.outdir = outdir
        self.reject = set(a.lower() for a in reject)
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: no such user" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.outdir, "%d" % self.n)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        env = ["from %s" % envelope.mail_from]
        env += ["rcpt %s" % r for r in envelope.rcpt_tos]
        tls = session.ssl or server.transport.get_extra_info("ssl_object") is not None
        env.append("tls %s" % ("yes" if tls else "no"))
        user = session.auth_data.login.decode() if isinstance(
            session.auth_data, LoginPassword) else "-"
        env.append("auth %s" % user)
        for suffix, content in ((".eml", data), (".env", ("\n".join(env) + "\n").encode())):
            with open(base + suffix + ".tmp", "wb") as f:
                f.write(content)
            os.rename(base + suffix + ".tmp", base + suffix)
        return "250 2.0.0 Message accepted"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=60)
    ap.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"))
    ap.add_argument("--reject", action="append", default=[])
    a = ap.parse_args()

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Handler(a.dir, a.reject)
    kw = {}
    server_ssl = None
    if a.starttls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*a.starttls)
        kw["tls_context"] = ctx
    if a.implicit_tls:
        server_ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_ssl.load_cert_chain(*a.implicit_tls)
    if a.auth:
        user, password = a.auth[0].encode(), a.auth[1].encode()

        def authenticator(server, session, envelope, mechanism, auth_data):
            if (isinstance(auth_data, LoginPassword) and auth_data.login == user
                    and auth_data.password == password):
                return AuthResult(success=True, auth_data=auth_data)
            return AuthResult(success=False, handled=False)

        kw["authenticator"] = authenticator
        kw["auth_required"] = True
        kw["auth_require_tls"] = True
    else:
        kw["auth_require_tls"] = False

    def factory():
        return SMTP(handler, hostname="smtpd.test", **kw)

    srv = loop.run_until_complete(
        loop.create_server(factory, host="127.0.0.1", port=0, ssl=server_ssl))
    port = srv.sockets[0].getsockname()[1]
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(a.port_file + ".tmp", a.port_file)
    loop.call_later(a.lifetime, loop.stop)
    try:
        loop.run_forever()
    finally:
        srv.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
