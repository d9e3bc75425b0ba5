"""Drives the imap-core memory server with CPython's imaplib (test/interop/imaplib.test.ts runs it).

Usage: python3 imaplib_client.py PORT USER PASSWORD

Every step records what imaplib returned into one JSON object on stdout; the TypeScript test makes
the assertions, so a failure shows up there with the data. A step that raises records its error
and the script goes on, so one broken command does not hide the others.
"""

import base64
import imaplib
import json
import re
import socket
import sys
import time

PORT, USER, PASSWORD = int(sys.argv[1]), sys.argv[2], sys.argv[3]
out = {}

# imaplib 3.11 knows MOVE (RFC 6851) only as a command name it cannot issue; teach it the state.
imaplib.Commands.setdefault("MOVE", ("SELECTED",))

APPENDED = (
    b"From: Python <py@example.org>\r\n"
    b"To: t@sandbox.test\r\n"
    b"Subject: appended by imaplib\r\n"
    b"Message-ID: <imaplib-append@example.org>\r\n"
    b"\r\n"
    b"Appended body \xc3\xa9\r\n"
)


def b64(b):
    return base64.b64encode(b).decode() if isinstance(b, (bytes, bytearray)) else None


def text(x):
    if isinstance(x, (bytes, bytearray)):
        return x.decode("utf-8", "replace")
    if isinstance(x, tuple):
        return [text(i) for i in x]
    if isinstance(x, list):
        return [text(i) for i in x]
    return x


def step(name, fn):
    try:
        out[name] = fn()
    except Exception as e:  # noqa: BLE001 - recorded for the TS side
        out[name] = {"error": f"{type(e).__name__}: {e}"}


def literal_of(data):
    """The literal bytes of the first (header, literal) pair in a FETCH result."""
    for item in data:
        if isinstance(item, tuple):
            return item[1]
    return None


def run():
    m = imaplib.IMAP4("127.0.0.1", PORT)
    out["welcome"] = text(m.welcome)
    out["capabilities"] = list(m.capabilities)
    step("login", lambda: text(m.login(USER, PASSWORD)))
    step("list", lambda: text(m.list()))
    step("lsub", lambda: text(m.lsub()))
    step("select", lambda: text(m.select("INBOX")))

    # FETCH of every item kind.
    step("fetch_meta", lambda: text(m.fetch("1", "(UID FLAGS INTERNALDATE RFC822.SIZE)")))
    step("fetch_envelope", lambda: text(m.fetch("1", "(ENVELOPE)")))
    step("fetch_bodystructure", lambda: text(m.fetch("1", "(BODYSTRUCTURE)")))
    step("fetch_body", lambda: text(m.fetch("1", "(BODY)")))
    step("fetch_macros", lambda: [text(m.fetch("1", mac)) for mac in ("FAST", "ALL", "FULL")])

    def sections():
        res = {}
        for sec in (
            "BODY.PEEK[]",
            "BODY.PEEK[HEADER]",
            "BODY.PEEK[TEXT]",
            "BODY.PEEK[1.1]",
            "BODY.PEEK[1.2]",
            "BODY.PEEK[2]",
            "BODY.PEEK[1.1.MIME]",
            "BODY.PEEK[2.MIME]",
            "BODY.PEEK[HEADER.FIELDS (SUBJECT MESSAGE-ID)]",
            "BODY.PEEK[HEADER.FIELDS.NOT (SUBJECT)]",
            "BODY.PEEK[]<680.100>",
            "RFC822.HEADER",
        ):
            typ, data = m.fetch("1", f"({sec})")
            res[sec] = {"typ": typ, "bytes": b64(literal_of(data)), "raw": text(data)}
        return res

    step("sections", sections)
    step("flags_after_peek", lambda: text(m.fetch("1", "(FLAGS)")))

    def all_bodies():
        typ, data = m.fetch("1:*", "(UID BODY.PEEK[])")
        bodies = {}
        for item in data:
            if isinstance(item, tuple):
                uid = re.search(rb"UID (\d+)", item[0]).group(1).decode()
                bodies[uid] = b64(item[1])
        return {"typ": typ, "bodies": bodies}

    step("all_bodies", all_bodies)
    # Non-PEEK fetches set \Seen (M35).
    step("fetch_rfc822", lambda: {"typ": (r := m.uid("FETCH", "2", "(RFC822)"))[0], "bytes": b64(literal_of(r[1])), "raw": text(r[1])})
    step("fetch_rfc822_text", lambda: text(m.fetch("3", "(RFC822.TEXT)")))

    # SEARCH.
    def searches():
        res = {
            "all": text(m.search(None, "ALL")),
            "seen": text(m.search(None, "SEEN")),
            "unseen": text(m.search(None, "UNSEEN")),
            "subject": text(m.search(None, "SUBJECT", '"Small message 3"')),
            "header_msgid": text(m.uid("SEARCH", "HEADER", "Message-ID", "<m1@example.com>")),
            "uid_range": text(m.uid("SEARCH", "UID", "2:3")),
            "or": text(m.search(None, "OR", "FROM", "sender2", "FROM", "sender4")),
            "larger": text(m.search(None, "LARGER", "600")),
            "since": text(m.search(None, "SINCE", "1-Jun-2025")),
            "body_qp": text(m.search(None, "BODY", '"hello world"')),
        }
        m.literal = "Résumé".encode()
        res["utf8_subject"] = text(m.search("UTF-8", "SUBJECT"))
        res["badcharset"] = text(m.search("KOI8-U", "TEXT", "x"))
        return res

    step("search", searches)

    # STORE.
    step("store_add", lambda: text(m.store("1", "+FLAGS", r"(\Flagged $label1)")))
    step("store_silent", lambda: text(m.store("1", "-FLAGS.SILENT", r"(\Flagged)")))
    step("uid_store", lambda: text(m.uid("STORE", "1", "+FLAGS", r"(\Answered)")))
    step("flags_after_store", lambda: text(m.fetch("1", "(FLAGS)")))

    # APPEND (then read it back byte for byte).
    step(
        "append",
        lambda: text(m.append("INBOX", r"(\Seen)", imaplib.Time2Internaldate(time.time()), APPENDED)),
    )
    out["appended_sent"] = b64(APPENDED)

    def appended_back():
        typ, data = m.uid("SEARCH", "HEADER", "Message-ID", "<imaplib-append@example.org>")
        uid = data[0].split()[-1].decode()
        typ, data = m.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
        return {"uid": uid, "bytes": b64(literal_of(data)), "raw": text(data)}

    step("append_fetch", appended_back)

    # COPY, MOVE, EXPUNGE.
    step("copy", lambda: text(m.copy("1", "Archive")))
    step("status_archive", lambda: text(m.status("Archive", "(MESSAGES UIDNEXT)")))

    def move():
        typ, data = m._simple_command("MOVE", "2", "Trash")
        return {"typ": typ, "data": text(data), "untagged": {k: text(v) for k, v in m.untagged_responses.items()}}

    step("move", move)
    m.untagged_responses.clear()
    step("uid_move", lambda: text(m._simple_command("UID", "MOVE", "4", "Trash")))
    m.untagged_responses.clear()
    step("status_trash", lambda: text(m.status("Trash", "(MESSAGES)")))

    def expunge():
        m.store("1", "+FLAGS", r"(\Deleted)")
        return text(m.expunge())

    step("expunge", expunge)
    step("after_expunge", lambda: text(m.fetch("1:*", "(UID)")))

    # IDLE (imaplib 3.11 has no idle()): raw IDLE/DONE on the socket while a second imaplib
    # connection APPENDs to INBOX.
    def idle():
        res = {}
        tag = m._new_tag()
        m.send(tag + b" IDLE\r\n")
        res["continuation"] = text(m.readline())
        other = imaplib.IMAP4("127.0.0.1", PORT)
        other.login(USER, PASSWORD)
        res["other_append"] = text(other.append("INBOX", None, None, b"Subject: during idle\r\n\r\nx\r\n"))
        other.logout()
        m.sock.settimeout(5)
        res["pushed"] = text(m.readline())
        m.send(b"DONE\r\n")
        lines = []
        while True:
            line = m.readline()
            lines.append(text(line))
            if line.startswith(tag) or not line:
                break
        m.sock.settimeout(None)
        res["after_done"] = lines
        return res

    step("idle", idle)
    step("noop", lambda: text(m.noop()))
    step("close", lambda: text(m.close()))
    step("logout", lambda: text(m.logout()))


try:
    run()
except (OSError, imaplib.IMAP4.error, socket.timeout) as e:
    out["fatal"] = f"{type(e).__name__}: {e}"
print(json.dumps(out))
