#!/usr/bin/env python3
"""Verify a Nastavnik audit pack offline, with nothing but Python's standard library.

    python3 verify_pack.py DIR [--head SEQ:HASH]

DIR is the unpacked pack (or the .zip itself). Checks, in order:
1. history.jsonl: every event's hash recomputes, links to the one before and the seqs run
   1, 2, 3 … without a gap, up to the head of manifest.json (and of --head: a head you
   received independently, e.g. in the auditors' daily e-mail);
2. every file listed in manifest.json exists and has its SHA-256; no unlisted document;
3. every documents/<id>/v<n>.docx is the file its sign event recorded (content_sha256).
Exit 0 when all hold; otherwise exit 1 and print the first failure.
"""

import hashlib
import json
import os
import re
import sys
import tempfile
import zipfile

GENESIS = "0" * 64
FIELDS = ("org_id", "seq", "document_id", "at", "actor_id", "actor_name", "event",
          "from_state", "to_state", "version", "comment", "content_sha256")
DOC_PATH = re.compile(r"^documents/(\d+)/v(\d+)\.docx$")


class Failure(Exception):
    pass


def event_hash(event, prev_hash):
    body = {name: event.get(name) for name in FIELDS}
    body["comment"] = body["comment"] or ""
    if event.get("on_behalf_of_id") is not None:  # a deputy's (и. о.) event covers both
        body["on_behalf_of_id"] = event["on_behalf_of_id"]
        body["on_behalf_of_name"] = event.get("on_behalf_of_name") or ""
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8") + prev_hash.encode("utf-8")).hexdigest()


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def check_chain(root, head):
    """Walk history.jsonl; returns {(document_id, version): content_sha256} of sign events."""
    signed, prev_hash, expected, last = {}, GENESIS, 1, None
    path = os.path.join(root, "history.jsonl")
    if not os.path.exists(path):
        raise Failure("history.jsonl отсутствует / is missing")
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            where = f"history.jsonl, строка {number} / line {number}"
            try:
                event = json.loads(line)
            except ValueError:
                raise Failure(f"{where}: не JSON / not JSON") from None
            if event.get("seq") != expected:
                raise Failure(f"{where}: запись № {expected} отсутствует, идёт № "
                              f"{event.get('seq')} / event {expected} is missing")
            if event.get("prev_hash") != prev_hash:
                raise Failure(f"{where} (seq {expected}): не ссылается на хеш предыдущей "
                              "записи / does not link to the previous hash")
            if event_hash(event, prev_hash) != event.get("hash"):
                raise Failure(f"{where} (seq {expected}): хеш не совпадает с содержимым — "
                              "запись изменена / hash does not match, the event was altered")
            if event.get("event") == "sign":
                signed[(event["document_id"], event["version"])] = event["content_sha256"]
            prev_hash, expected, last = event["hash"], expected + 1, event
    for name, (seq, hash_) in head.items():
        if last is None or last["seq"] < seq:
            raise Failure(f"history.jsonl обрывается до вершины № {seq} ({name}) / "
                          "truncated before the head")
        if last["seq"] > seq:
            raise Failure(f"history.jsonl длиннее вершины № {seq} ({name}) / longer than the head")
        if last["hash"] != hash_:
            raise Failure(f"хеш вершины № {seq} не совпадает ({name}) / head_mismatch")
    return signed


def check_files(root, manifest):
    for rel in manifest.get("missing") or []:
        raise Failure(f"{rel}: подписанного файла не было на сервере при сборке пакета / "
                      "the signed file was missing on the server")
    listed = set()
    for entry in manifest.get("files", []):
        rel = entry["path"]
        listed.add(rel)
        path = os.path.join(root, *rel.split("/"))
        if ".." in rel.split("/") or not os.path.isfile(path):
            raise Failure(f"{rel}: файла нет / file is missing")
        if file_sha256(path) != entry["sha256"]:
            raise Failure(f"{rel}: SHA-256 не совпадает с manifest.json / sha256 mismatch")
    docs_dir = os.path.join(root, "documents")
    for base, _dirs, files in os.walk(docs_dir):
        for name in files:
            rel = os.path.relpath(os.path.join(base, name), root).replace(os.sep, "/")
            if rel not in listed:
                raise Failure(f"{rel}: файла нет в manifest.json / not in the manifest")
    return listed


def check_signed(root, listed, signed):
    for rel in sorted(listed):
        match = DOC_PATH.match(rel)
        if not match:
            continue
        key = (int(match.group(1)), int(match.group(2)))
        if key not in signed:
            raise Failure(f"{rel}: в истории нет события подписания этой версии / "
                          "no sign event for this version")
        if file_sha256(os.path.join(root, *rel.split("/"))) != signed[key]:
            raise Failure(f"{rel}: файл не совпадает с хешем, записанным при подписании / "
                          "differs from the file hash its sign event recorded")


def verify(root, extra_head=None):
    with open(os.path.join(root, "manifest.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)
    heads = {"manifest.json": (manifest["head"]["seq"], manifest["head"]["hash"])}
    if extra_head:
        heads["--head"] = extra_head
    signed = check_chain(root, heads)
    listed = check_files(root, manifest)
    check_signed(root, listed, signed)
    return manifest


def main(argv):
    args = [a for a in argv[1:]]
    extra = None
    if "--head" in args:
        i = args.index("--head")
        seq, _, hash_ = args[i + 1].partition(":")
        extra = (int(seq), hash_)
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__)
        return 2
    target = args[0]
    try:
        if zipfile.is_zipfile(target):
            with tempfile.TemporaryDirectory() as tmp:
                with zipfile.ZipFile(target) as zf:
                    zf.extractall(tmp)
                manifest = verify(tmp, extra)
        else:
            manifest = verify(target, extra)
    except Failure as exc:
        print(f"ОШИБКА / FAILED: {exc}")
        return 1
    except (OSError, ValueError, KeyError) as exc:
        print(f"ОШИБКА / FAILED: пакет неполон или повреждён / broken pack: {exc}")
        return 1
    print(f"OK: цепочка до записи № {manifest['head']['seq']} цела, "
          f"{len(manifest['files'])} файлов совпадают / the pack verifies")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
