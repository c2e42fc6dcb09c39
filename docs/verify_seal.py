#!/usr/bin/env python3
"""Checks Duban seals, inclusion proofs and command signatures with nothing but Python's standard library.

An auditor need not trust Duban's code: this script follows docs/auditing.md ("Seals",
"Signed commands") on its own.

    python3 verify_seal.py seal SEAL.json PUBKEY [HISTORY.ndjson]
        The seal's Ed25519 signature; with a history (an NDJSON export), also that its first `size`
        events are exactly those sealed (every event re-hashed, every chain followed, the Merkle root
        and the heads root recomputed) and that every later event is appended to its stream.
    python3 verify_seal.py proof PROOF.json PUBKEY
        An inclusion proof (duban prove), alone.
    python3 verify_seal.py signatures HISTORY.ndjson
        Every signed command (docs/auditing.md, "Signed commands") against the keys on the office's
        record at that point of the history: a signature must name the actor's key then in force and
        verify with it; an event from a person who then had a key must be signed. The keys come from
        the history itself; check its chains with `seal` (a signature is only as good as the chain
        hash that covers it).

PUBKEY is the office's Ed25519 public key as PEM (SPKI) or JWK. Prints VALID or INVALID with the
reason on the first line; exits 0 (valid), 1 (invalid) or 2 (the command line or a file is unusable).
"""
import base64
import hashlib
import json
import sys

# ---------------------------------------------------------------- Ed25519 verification (RFC 8032 §5.1)
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)
NEUTRAL = (0, 1, 1, 0)  # extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, x*y = T/Z


def point_add(a, b):
    # RFC 8032 §5.1.4, the formulas for extended homogeneous coordinates.
    ea = (a[1] - a[0]) * (b[1] - b[0]) % P
    eb = (a[1] + a[0]) * (b[1] + b[0]) % P
    ec = 2 * a[3] * b[3] * D % P
    ed = 2 * a[2] * b[2] % P
    e, f, g, h = eb - ea, ed - ec, ed + ec, eb + ea
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def scalar_mult(s, point):
    result = NEUTRAL
    while s > 0:
        if s & 1:
            result = point_add(result, point)
        point = point_add(point, point)
        s >>= 1
    return result


def same_point(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)  # a square root of x2, or of -x2
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    return P - x if (x & 1) != sign else x


def decode_point(data):
    y = int.from_bytes(data, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


BASE = decode_point((4 * pow(5, P - 2, P) % P).to_bytes(32, "little"))


def ed25519_verify(public, message, signature):
    """[S]B = R + [k]A, with k = SHA-512(R || A || M) mod L (RFC 8032 §5.1.7)."""
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = decode_point(public), decode_point(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return same_point(scalar_mult(s, BASE), point_add(r, scalar_mult(k, a)))


# ---------------------------------------------------------------- RFC 8785 canonical JSON
def es_number(x):
    """A number as ECMAScript's Number.prototype.toString writes it (RFC 8785 §3.2.2.3)."""
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    if x == 0:
        return "0"
    if x < 0:
        return "-" + es_number(-x)
    mantissa, _, exponent = repr(x).partition("e")  # repr: the shortest digits that round-trip
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    e10 = int(exponent or 0) - len(fraction)
    stripped = digits.rstrip("0")
    e10 += len(digits) - len(stripped)
    digits, k = stripped, len(stripped)
    n = k + e10  # value = 0.digits × 10^n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    e = n - 1
    return (digits if k == 1 else digits[0] + "." + digits[1:]) + ("e+" if e >= 0 else "e-") + str(abs(e))


ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def es_string(s):
    out = []
    for c in s:
        if c in ESCAPES:
            out.append(ESCAPES[c])
        elif ord(c) < 0x20 or 0xD800 <= ord(c) <= 0xDFFF:  # controls, and lone surrogates
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def canonical(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return es_number(float(value))
    if isinstance(value, str):
        return es_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    keys = sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))  # UTF-16 code units
    return "{" + ",".join(es_string(k) + ":" + canonical(value[k]) for k in keys) + "}"


def strict_json(text, where):
    """I-JSON, as Duban reads it: a key twice in one object, NaN or Infinity are refused."""

    def pairs(items):
        obj = {}
        for key, value in items:
            if key in obj:
                raise ValueError(f'the key "{key}" occurs twice in one object')
            obj[key] = value
        return obj

    def constant(name):
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant, parse_int=float)
    except ValueError as e:
        raise Invalid(f"{where}: not JSON: {e}")


# ---------------------------------------------------------------- hashes and the Merkle tree (RFC 9162 §2.1)
GENESIS = "0" * 64


def sha256(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def event_hash(event):
    """SHA-256 of the canonical JSON of the event's type, data and metadata without `hash`."""
    metadata = {k: v for k, v in event["metadata"].items() if k != "hash"}
    body = {"type": event["type"], "data": event["data"], "metadata": metadata}
    return hashlib.sha256(canonical(body).encode("utf-8", "surrogatepass")).hexdigest()


def leaf(data):
    return sha256(b"\x00", data)


def node(left, right):
    return sha256(b"\x01", left, right)


def event_leaf(hash_hex):
    return leaf(bytes.fromhex(hash_hex))


def head_leaf(stream, revision, hash_hex):
    return leaf(f"{stream}\t{revision}\t{hash_hex}".encode("utf-8"))


def merkle_root(leaves):
    """The root of a list of leaf hashes: complete subtrees merged like a binary counter, folded right."""
    peaks, count = [], 0
    for h in leaves:
        s = count
        while s & 1:
            h = node(peaks.pop(), h)
            s >>= 1
        peaks.append(h)
        count += 1
    if not peaks:
        return sha256()
    root = peaks[-1]
    for p in reversed(peaks[:-1]):
        root = node(p, root)
    return root


def root_from_path(index, size, leaf_hash, path):
    """RFC 9162 §2.1.3.2: the root an audit path leads to, or None."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


# ---------------------------------------------------------------- seals
class Invalid(Exception):
    pass


SEAL_FIELDS = ["format", "office", "at", "size", "root", "heads", "key", "signature"]


def is_hex(value, length):
    return isinstance(value, str) and len(value) == length and all(c in "0123456789abcdef" for c in value)


def read_public_key(path):
    text = open(path, encoding="utf-8").read().strip()
    if text.startswith("{"):
        jwk = strict_json(text, path)
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" in jwk:
            raise Invalid(f"{path}: not an Ed25519 public JWK")
        raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
    elif text.startswith("-----BEGIN PUBLIC KEY-----"):
        der = base64.b64decode("".join(text.splitlines()[1:-1]))
        prefix = bytes.fromhex("302a300506032b6570032100")  # SPKI, id-Ed25519 (RFC 8410)
        if not der.startswith(prefix) or len(der) != 44:
            raise Invalid(f"{path}: not an Ed25519 public key")
        raw = der[len(prefix):]
    else:
        raise Invalid(f"{path}: neither a PEM public key nor a JWK")
    if len(raw) != 32:
        raise Invalid(f"{path}: an Ed25519 public key is 32 bytes")
    return raw


def check_seal(seal, public):
    if not isinstance(seal, dict) or sorted(seal) != sorted(SEAL_FIELDS):
        raise Invalid(f"a seal has exactly the fields {', '.join(SEAL_FIELDS)}")
    heads = seal["heads"]
    size = seal["size"]
    if (
        seal["format"] != "duban-seal/1"
        or not isinstance(size, float)
        or size != int(size)
        or size < 1
        or not isinstance(heads, dict)
        or sorted(heads) != ["root", "streams"]
        or not is_hex(seal["root"], 64)
        or not is_hex(heads["root"], 64)
        or not is_hex(seal["key"], 64)
        or not is_hex(seal["signature"], 128)
    ):
        raise Invalid("the seal is malformed")
    if hashlib.sha256(public).hexdigest() != seal["key"]:
        raise Invalid(f"the seal was signed with key {seal['key'][:16]}…, not with this public key")
    body = {k: v for k, v in seal.items() if k != "signature"}
    if not ed25519_verify(public, canonical(body).encode("utf-8"), bytes.fromhex(seal["signature"])):
        raise Invalid("the seal's signature does not verify: it was altered after it was signed")
    return int(size)


def check_history(seal, size, path):
    """The first `size` events are those sealed; every later one is appended to its stream."""
    chains, leaves, count, sealed_heads = {}, [], 0, None
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            event = strict_json(line, f"{path}:{number}")
            m = event["metadata"]
            stream, revision = m["streamId"], int(m["revision"])
            if event_hash(event) != m["hash"]:
                raise Invalid(f"{path}:{number}: {stream} revision {revision}: its content does not match its hash")
            last_revision, last_hash = chains.get(stream, (-1, GENESIS))
            if revision != last_revision + 1 or m["prevHash"] != last_hash:
                raise Invalid(f"{path}:{number}: {stream} revision {revision} does not follow revision {last_revision} of its stream")
            chains[stream] = (revision, m["hash"])
            count += 1
            if count <= size:
                leaves.append(event_leaf(m["hash"]))
            if count == size:
                sealed_heads = dict(chains)
    if count < size:
        raise Invalid(f"{path} holds {count} events; the seal covers {size}")
    if merkle_root(leaves).hex() != seal["root"]:
        raise Invalid(f"the first {size} events of {path} are not those sealed: their Merkle root differs")
    ordered = sorted(sealed_heads, key=lambda s: s.encode("utf-8"))
    heads_root = merkle_root([head_leaf(s, *sealed_heads[s]) for s in ordered])
    if heads_root.hex() != seal["heads"]["root"] or len(ordered) != seal["heads"]["streams"]:
        raise Invalid("the seal's heads are not those of the events it seals")
    return count - size


# ---------------------------------------------------------------- inclusion proofs
def check_head(head, stream, seal):
    path = [bytes.fromhex(h) for h in head["path"]]
    got = root_from_path(int(head["index"]), int(seal["heads"]["streams"]), head_leaf(stream, int(head["revision"]), head["hash"]), path)
    if got is None or got.hex() != seal["heads"]["root"]:
        raise Invalid(f"the head of {stream} is not among the sealed heads")


def check_proof(proof, public):
    if not isinstance(proof, dict) or sorted(proof) != ["format", "seal", "streams", "subject"] or proof["format"] != "duban-proof/1":
        raise Invalid("not a duban-proof/1")
    seal = proof["seal"]
    size = check_seal(seal, public)
    subject, streams, positions = proof["subject"], proof["streams"], set()
    for s in streams:
        stream = s["streamId"]
        if "absent" in s:
            before, after = s["absent"].get("before"), s["absent"].get("after")
            for h in (before, after):
                if h is not None:
                    check_head(h, h["streamId"], seal)
            if s["events"] or (before is None and after is None):
                raise Invalid(f"{stream}: an absent stream carries no events and has a neighbour")
            if before is not None and not before["streamId"].encode() < stream.encode():
                raise Invalid(f"{stream}: the head before it does not sort before it")
            if after is not None and not stream.encode() < after["streamId"].encode():
                raise Invalid(f"{stream}: the head after it does not sort after it")
            adjacent = (
                (after["index"] == 0 if before is None else True)
                and (before["index"] == seal["heads"]["streams"] - 1 if after is None else True)
                and (before is None or after is None or after["index"] == before["index"] + 1)
            )
            if not adjacent:
                raise Invalid(f"{stream}: its neighbours are not adjacent among the sealed heads")
            continue
        previous_hash, previous_position = GENESIS, -1
        for i, e in enumerate(s["events"]):
            event, m, position = e["event"], e["event"]["metadata"], int(e["position"])
            where = f"{stream} revision {i}"
            if m["streamId"] != stream or m["revision"] != i:
                raise Invalid(f"{where}: the stream's events must run from revision 0 without a gap")
            if event_hash(event) != m["hash"]:
                raise Invalid(f"{where}: its content does not match its hash: the event was changed")
            if m["prevHash"] != previous_hash:
                raise Invalid(f"{where}: does not link to the event before it")
            if not previous_position < position < size or position in positions:
                raise Invalid(f"{where}: position {position} is out of order, taken, or past the seal")
            got = root_from_path(position, size, event_leaf(m["hash"]), [bytes.fromhex(h) for h in e["path"]])
            if got is None or got.hex() != seal["root"]:
                raise Invalid(f"{where}: its audit path does not lead to the seal's root")
            previous_hash, previous_position = m["hash"], position
            positions.add(position)
        head = s["head"]
        if not s["events"] or head["revision"] != len(s["events"]) - 1 or head["hash"] != previous_hash:
            raise Invalid(f"{stream}: was sealed at revision {head['revision']}; events of the stream are left out")
        check_head(head, stream, seal)
    names = {s["streamId"] for s in streams if not s.get("absent")}
    if "task" in subject and f"task-{subject['task']}" not in names:
        raise Invalid(f"the proof does not carry the stream of task {subject['task']}")
    if "unit" in subject:
        unit = subject["unit"]
        if f"unit-{unit}" not in {s["streamId"] for s in streams}:
            raise Invalid(f"the proof neither carries unit-{unit} nor shows it absent")
        for s in streams:
            if s["streamId"] != f"unit-{unit}" and s["events"]:
                first = s["events"][0]["event"]
                data = first["data"]
                if first["type"] != "TaskAssigned" or unit not in [data.get("leadUnit"), *data.get("coUnits", [])]:
                    raise Invalid(f"{s['streamId']} is not a task assigned to unit {unit}")
    what = f"task {subject['task']}" if "task" in subject else f"unit {subject['unit']}"
    events = sum(len(s["events"]) for s in streams)
    plural = "stream" if len(streams) == 1 else "streams"
    return f"{what}: {events} events in {len(streams)} {plural}, complete as sealed by office {seal['office']} at {seal['at']} ({size} events)"


# ---------------------------------------------------------------- signed commands
COMMAND_FORMAT = "duban-command/1"


def signature_verifies(m, actor, value, public_hex):
    """Ed25519 over the canonical JSON of {format, type, actor, at, commandId, commandDigest}."""
    fields = [m.get("commandType"), m.get("at"), m.get("commandId"), m.get("commandDigest"), value]
    if not all(isinstance(f, str) for f in fields) or not is_hex(value, 128):
        return False
    message = {
        "format": COMMAND_FORMAT,
        "type": m["commandType"],
        "actor": actor,
        "at": m["at"],
        "commandId": m["commandId"],
        "commandDigest": m["commandDigest"],
    }
    return ed25519_verify(bytes.fromhex(public_hex), canonical(message).encode("utf-8"), bytes.fromhex(value))


def check_signatures(path):
    """The keys on record fold as the office's events come, in the history's order; each event is
    checked against the keys as they stand before it. Returns (signed, verified, findings)."""
    keys, findings, signed, verified = {}, [], 0, 0
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            event = strict_json(line, f"{path}:{number}")
            m = event.get("metadata") if isinstance(event, dict) else None
            if not isinstance(m, dict) or not isinstance(m.get("streamId"), str) or not isinstance(m.get("revision"), (int, float)):
                continue  # no envelope: the chain check reports it
            actor = m.get("actor")
            if not isinstance(actor, dict) or not isinstance(actor.get("id"), str):
                continue
            where = f"{path}:{number}: {m['streamId']} revision {int(m['revision'])}"
            person, in_force, signature = actor["id"], keys.get(actor["id"]), m.get("signature")
            if signature is not None:
                signed += 1
                s = signature if isinstance(signature, dict) else {}
                if not isinstance(s.get("publicKey"), str) or s["publicKey"] != in_force:
                    none = " (they have none)" if in_force is None else ""
                    findings.append(f"{where}: signed with a key that is not {person}'s key on record at this point of the history{none}")
                elif signature_verifies(m, actor, s.get("value"), in_force):
                    verified += 1
                else:
                    findings.append(f"{where}: the signature of {person}'s command {m.get('commandId')} does not verify with their key on record")
            elif in_force is not None:
                findings.append(f"{where}: unsigned, though {person} had a signing key on record at this point of the history")
            # The office's key record moves on after the event that changes it.
            data = event.get("data")
            if m["streamId"] == "office" and isinstance(data, dict) and isinstance(data.get("personId"), str):
                if event.get("type") == "ActorKeyRegistered" and isinstance(data.get("publicKey"), str):
                    keys[data["personId"]] = data["publicKey"]
                if event.get("type") == "ActorKeyRevoked" and keys.get(data["personId"]) == data.get("publicKey"):
                    del keys[data["personId"]]
    return signed, verified, findings


def main(argv):
    if len(argv) == 2 and argv[0] == "signatures":
        try:
            signed, verified, findings = check_signatures(argv[1])
        except (OSError, ValueError) as e:
            print(f"verify_seal.py: {e}", file=sys.stderr)
            return 2
        events = f"{signed} signed command event{'' if signed == 1 else 's'}"
        if findings:
            print(f"INVALID: {len(findings)} problem{'' if len(findings) == 1 else 's'} with command signatures ({events})")
            print("\n".join(findings))
            return 1
        print(f"VALID: {events}, {verified} verif{'ies' if verified == 1 else 'y'} with the key on record then")
        return 0
    if len(argv) < 3 or argv[0] not in ("seal", "proof") or (argv[0] == "proof" and len(argv) != 3) or len(argv) > 4:
        print(__doc__.strip().split("\n\n")[2], file=sys.stderr)
        return 2
    try:
        public = read_public_key(argv[2])
        document = strict_json(open(argv[1], encoding="utf-8").read(), argv[1])
    except (OSError, Invalid, KeyError, ValueError) as e:
        print(f"verify_seal.py: {e}", file=sys.stderr)
        return 2
    try:
        if argv[0] == "proof":
            print(f"VALID: {check_proof(document, public)}")
            return 0
        size = check_seal(document, public)
        if len(argv) == 3:
            print(f"VALID: seal of {size} events, office {document['office']}, made {document['at']}")
            return 0
        after = check_history(document, size, argv[3])
        print(f"VALID: the first {size} events of {argv[3]} are those sealed; {after} events after them, each appended")
        return 0
    except Invalid as e:
        print(f"INVALID: {e}")
        return 1
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
        print(f"INVALID: malformed: {type(e).__name__}: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
