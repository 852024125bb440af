"""FEP-8b32 integrity proofs (eddsa-jcs-2022) with an independent implementation: bovine's
`bovine.crypto` (pinned in requirements.lock), for tests/tests/interop.rs.

Usage:
  proof_check.py verify   stdin: {"document": {...}, "key": "z6Mk...", "controller": "..."}
                          exit 0 printing {"valid": true, "controller": ...} when bovine
                          accepts the proof, {"valid": false} when it does not.
  proof_check.py verify-w3c   the same input; checks the proof the way the W3C algorithm
                          states it (proof options minus proofValue, JCS by the `jcs`
                          package, SHA-256, Ed25519 by `cryptography`), independently of
                          bovine's verifier, which mis-hashes a proof's `@context`.
  proof_check.py sign     stdin: {"document": {...}, "key_id": "https://...#ed25519-key"}
                          signs with a fresh Ed25519 key; prints {"document", "key"} (the
                          signed document and the public key as a Multikey).
"""

import json
import sys

from cryptography.hazmat.primitives.asymmetric import ed25519

from bovine.crypto.types import CryptographicIdentifier, CryptographicSecret
from bovine.crypto.multibase import encode_public_key_to_multibase


def verify(request):
    identifier = CryptographicIdentifier.from_tuple(request["controller"], request["key"])
    try:
        controller = identifier.verify_document(request["document"])
    except Exception as error:  # bovine raises on malformed proofs
        print(json.dumps({"valid": False, "error": str(error)}))
        return
    print(json.dumps({"valid": controller is not None, "controller": controller}))


def verify_w3c(request):
    import hashlib

    import jcs
    from bovine.crypto.multibase import multibase_decode, decode_multibase_public_key

    document = dict(request["document"])
    proof = dict(document.pop("proof"))
    signature = multibase_decode(proof.pop("proofValue"))
    if "@context" in document and "@context" not in proof:
        proof["@context"] = document["@context"]
    data = hashlib.sha256(jcs.canonicalize(proof)).digest() + hashlib.sha256(jcs.canonicalize(document)).digest()
    key = decode_multibase_public_key(request["key"])
    try:
        key.verify(signature, data)
        print(json.dumps({"valid": True}))
    except Exception as error:
        print(json.dumps({"valid": False, "error": repr(error)}))


def sign(request):
    private_key = ed25519.Ed25519PrivateKey.generate()
    secret = CryptographicSecret(key_id=request["key_id"], private_key=private_key)
    signed = secret.sign_document(request["document"])
    public = encode_public_key_to_multibase(private_key.public_key())
    print(json.dumps({"document": signed, "key": public}))


def main():
    request = json.load(sys.stdin)
    {"verify": verify, "verify-w3c": verify_w3c, "sign": sign}[sys.argv[1]](request)


if __name__ == "__main__":
    main()
