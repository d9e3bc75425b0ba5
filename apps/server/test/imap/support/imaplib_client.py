"""Python imaplib against Letterbox: prints one JSON object with what it saw.

usage: imaplib_client.py <port> <user> <mode: starttls|implicit>
"""
import base64
import imaplib
import json
import ssl
import sys

port, user, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
# The server's certificate is self-signed for localhost; the test connects to 127.0.0.1.
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE

if mode == "implicit":
    imap = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=context)
else:
    imap = imaplib.IMAP4("127.0.0.1", port)
    imap.starttls(ssl_context=context)

out = {}
out["login"] = imap.login(user, "whatever")[0]
typ, listing = imap.list()
out["list"] = [line.decode() for line in listing]
typ, data = imap.select("INBOX")
out["exists"] = int(data[0])
typ, data = imap.uid("SEARCH", None, "ALL")
out["uids"] = [int(u) for u in data[0].split()]
typ, data = imap.uid("SEARCH", None, "SUBJECT", '"Interop 2"')
out["search_subject"] = [int(u) for u in data[0].split()]
messages = {}
for uid in out["uids"]:
    typ, data = imap.uid("FETCH", str(uid), "(RFC822.SIZE BODY.PEEK[])")
    messages[str(uid)] = base64.b64encode(data[0][1]).decode()
out["messages"] = messages
typ, data = imap.uid("STORE", str(out["uids"][0]), "+FLAGS", r"(\Flagged)")
out["store"] = [d.decode() for d in data if d]
typ, data = imap.uid("SEARCH", None, "FLAGGED")
out["flagged"] = [int(u) for u in data[0].split()]
imap.close()
imap.logout()
print(json.dumps(out))
