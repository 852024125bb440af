"""An SMTP sink for tests/tests/mail.rs (aiosmtpd, pinned in requirements.lock).

Accepts every message on 127.0.0.1:PORT and writes each as one JSON file in DIR
(NNNN.json, written whole and then renamed, so a reader never sees half a file): the
envelope recipients, the decoded From, To and Subject, the List-Unsubscribe headers and
the decoded text body. Prints "ready" once it listens; runs until it is killed.
"""

import argparse
import itertools
import json
import os
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "envelope_to": list(envelope.rcpt_tos),
            "from": str(message.get("From", "")),
            "to": str(message.get("To", "")),
            "subject": str(message.get("Subject", "")),
            "list_unsubscribe": str(message.get("List-Unsubscribe", "")),
            "list_unsubscribe_post": str(message.get("List-Unsubscribe-Post", "")),
            "body": body.get_content() if body is not None else "",
        }
        with self.lock:
            number = next(self.numbers)
        path = os.path.join(self.directory, f"{number:04}.json")
        with open(path + ".part", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.rename(path + ".part", path)
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
