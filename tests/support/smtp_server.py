#!/usr/bin/python3
"""A real SMTP server for the tests (aiosmtpd), writing every accepted mail to a Maildir.

  smtp_server.py --port P --maildir DIR [--tls-cert C --tls-key K] [--auth USER:PASSWORD]
                 [--reject ADDRESS]... [--ready-file F]

--tls-cert/--tls-key offer STARTTLS and require it; --auth requires AUTH (after STARTTLS);
--reject answers 550 to RCPT TO for that address. Stops on SIGTERM or SIGINT.
"""
import argparse
import mailbox
import signal
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, maildir, rejected):
        self.box = mailbox.Maildir(maildir, create=True)
        self.rejected = set(a.lower() for a in rejected)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        header = ("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (
            envelope.mail_from, ",".join(envelope.rcpt_tos))).encode()
        self.box.add(header + data)
        return "250 Message accepted for delivery"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--maildir", required=True)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--auth")
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--ready-file")
    a = p.parse_args()

    kwargs = {}
    if a.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        kwargs.update(tls_context=ctx, require_starttls=True)
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and \
                auth_data.login.decode() == user and auth_data.password.decode() == password
            # handled=False: aiosmtpd then answers 535 itself (its default is to stay silent).
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=bool(a.tls_cert))

    controller = Controller(Handler(a.maildir, a.reject), hostname=a.host, port=a.port, **kwargs)
    controller.start()
    if a.ready_file:
        with open(a.ready_file, "w") as f:
            f.write("ready\n")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
