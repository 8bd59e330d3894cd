#!/usr/bin/env python3
"""Writes the seeds of batch_reader_fuzz (fuzz/corpus/batch_reader/): batch files signed
with the target's fixed key (kFuzzKeyJwk in batch_reader_fuzz.cpp), so the fuzzer starts
from files CheckFile accepts. Each seed's first byte picks the read buffer size.

The payload is JCS as long as the data is ASCII strings and small integers, which
json.dumps(sort_keys, compact) then produces exactly. Needs python3-cryptography.
Usage: python3 fuzz/batch_reader_seeds.py"""
import base64, json, os
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

D = "-cZxIPTiDFTaikJK0dZxkC4h4rpjaRx7zUURHyDSsiw"  # the fuzz-only key's private scalar


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def key():
    d = int.from_bytes(base64.urlsafe_b64decode(D + "=" * (-len(D) % 4)), "big")
    return ec.derive_private_key(d, ec.SECP256R1())


def jcs(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def sign(payload):
    protected = b64(jcs({"alg": "ES256", "kid": "fuzz-key"}).encode())
    der = key().sign((protected + "." + b64(payload.encode())).encode(),
                     ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return protected + ".." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def record(row, cards=1, info=False):
    request = {"consumerId": "cons_%d" % row,
               "cards": [{"cardId": "crd_%d_%d" % (row, i), "cardProductId": "VISA_CLASSIC",
                          "encryptedData": "eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.a.b.c.d",
                          "state": "ACTIVE"} for i in range(cards)]}
    if info:
        request["personalInformation"] = {"firstName": "Jane", "lastName": "Doe",
                                          "email": "jane@example.com"}
    return {"rowId": row, "consumerAndCardRegistrationRequest": request}


def header(operation="CONSUMER_CARD_REGISTRATION"):
    return {"batchId": "B1", "seqNumber": "1", "issuerId": "ISSUER0001",
            "operation": operation}


def document(head, records, order):
    sig = sign(jcs({"header": head, "records": records}))
    parts = {"h": '"header": ' + json.dumps(head),
             "r": '"records": [\n' + ",\n".join(json.dumps(r) for r in records) + "\n]",
             "s": '"signature": ' + json.dumps(sig)}
    return "{" + ",\n".join(parts[m] for m in order) + "}\n"


SEEDS = {
    "valid_three.json": ("a", document(header(), [record(1), record(2, 2, True), record(5)],
                                       "hrs")),
    "records_first.json": ("\x07", document(header(), [record(1), record(3)], "rhs")),
    "signature_first.json": ("\x40", document(
        header("CONSUMER_CARD_REGISTRATION_WITH_DIGITAL_CARDS"), [record(1, 0)], "shr")),
    "empty_records.json": ("\x01", document(header(), [], "hrs")),
}

if __name__ == "__main__":
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "batch_reader")
    os.makedirs(out, exist_ok=True)
    for name, (buffer_byte, text) in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(buffer_byte.encode("latin-1") + text.encode())
