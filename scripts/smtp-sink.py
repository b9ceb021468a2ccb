#!/usr/bin/env python3
"""A real SMTP server on loopback for the tests: every message it accepts is written as one
.eml file into a directory. Usage: smtp-sink.py PORT DIRECTORY [HOST]

Uses the standard library's smtpd (deprecated, still in Python 3.11); falls back to aiosmtpd."""
import os
import sys
import time
import uuid
import warnings


def store(directory, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
    temp = os.path.join(directory, "." + name + ".tmp")
    with open(temp, "wb") as f:
        f.write(data)
    os.replace(temp, os.path.join(directory, name))  # readers never see a half-written file


def serve_smtpd(host, port, directory):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import asyncore
        import smtpd

    class Sink(smtpd.SMTPServer):
        def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
            store(directory, data)
            return None  # 250 OK

    Sink((host, port), None, decode_data=False, enable_SMTPUTF8=True)
    print(f"smtp-sink (smtpd) on {host}:{port} writing to {directory}", flush=True)
    asyncore.loop()


def serve_aiosmtpd(host, port, directory):
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            store(directory, envelope.original_content or envelope.content)
            return "250 OK"

    controller = Controller(Handler(), hostname=host, port=port)
    controller.start()
    print(f"smtp-sink (aiosmtpd) on {host}:{port} writing to {directory}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def main():
    if len(sys.argv) < 3:
        print("usage: smtp-sink.py PORT DIRECTORY [HOST]", file=sys.stderr)
        return 2
    port, directory = int(sys.argv[1]), sys.argv[2]
    host = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    os.makedirs(directory, exist_ok=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import smtpd  # noqa: F401  (removed in Python 3.12)
    except ImportError:
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            print("smtp-sink: neither Python's smtpd module (Python <= 3.11) nor aiosmtpd "
                  "(apt-get install python3-aiosmtpd) is available", file=sys.stderr)
            return 1
        serve_aiosmtpd(host, port, directory)
        return 0
    serve_smtpd(host, port, directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
