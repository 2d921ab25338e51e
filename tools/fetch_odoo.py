#!/usr/bin/env python3
"""Obtain the pinned Odoo 18.0 source tree: download, verify, unpack (stdlib only).

    fetch_odoo.py TARGET        download the pinned nightly source archive of Odoo 18.0, unpack
                                it into TARGET (missing or empty), verify its tree digest
    fetch_odoo.py --digest DIR  print the tree digest of DIR (to pin a new release)

The archive comes from ODOO_SOURCE_URL when set (http(s):// or file://), else from the
archive dropped at .odoo/<archive name> in the repository (a manual download), else from
Odoo's nightly server. Odoo publishes no checksum for its nightly archives and their bytes
(compression, timestamps) are not reproducible, so what is pinned is the *unpacked tree*:
sha256 over the sorted lines "relative/path\\0<sha256 of the file>\\n" of every file, file
contents only (no modes, no timestamps). Documented exceptions, never part of the digest:
a top-level `.gitignore` (not in the sdist, MANIFEST.in does not take it; a git copy of the
sdist has one) and `__pycache__` folders (bytecode Python writes when Odoo runs from the tree;
the sdist excludes *.py[co]).

The archive is unpacked into a temporary folder beside TARGET, its single top-level folder
(odoo-18.0.post20250925/) is verified and only then renamed to TARGET: an interrupted or
refused run never leaves a tree that a later run would take for Odoo. Errors are one line on
stderr and a non-zero exit status, no traceback.
"""
import hashlib
import os
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import zipfile

RELEASE = "18.0.20250925"  # Odoo's nightly of 25 September 2025 (version 18.0.post20250925)
ARCHIVE = f"odoo_{RELEASE}.tar.gz"
DEFAULT_URL = f"https://nightly.odoo.com/18.0/nightly/src/{ARCHIVE}"
TREE_FILES = 44752
TREE_SHA256 = "9a5a29d349efac7bf2591113d47b78a09bcff0073224e09baef20781efdde71b"
EXCLUDED_TOP = {".gitignore"}
EXCLUDED_DIRS = {"__pycache__"}
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DROP_DIR = os.path.join(REPO, ".odoo")
CHUNK = 1 << 20


class Refused(Exception):
    """A failure reported as one line."""


def say(text):
    print(text, flush=True)


def tree_digest(root, strict=False):
    """(number of files, sha256 hex) of the tree at root, as described in the module doc.

    ``strict`` (a downloaded archive): what the digest would not see is refused instead of
    skipped: compiled Python (Python would run it instead of the verified source) and links."""
    lines = []
    for folder, dirs, files in os.walk(root):
        rel_folder = os.path.relpath(folder, root)
        if strict:
            for name in dirs:
                if name in EXCLUDED_DIRS or os.path.islink(os.path.join(folder, name)):
                    raise Refused(f"unexpected entry in the Odoo archive: "
                                  f"{os.path.join(rel_folder, name)}")
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDED_DIRS)
        for name in files:
            rel = name if rel_folder == "." else f"{rel_folder}/{name}".replace(os.sep, "/")
            if strict and name.endswith((".pyc", ".pyo")):
                raise Refused(f"unexpected compiled file in the Odoo archive: {rel}")
            if rel in EXCLUDED_TOP:
                continue
            path = os.path.join(folder, name)
            if os.path.islink(path) or not os.path.isfile(path):
                raise Refused(f"unexpected non-regular file in the Odoo tree: {rel}")
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(CHUNK), b""):
                    digest.update(block)
            lines.append(f"{rel}\0{digest.hexdigest()}\n")
    lines.sort()
    return len(lines), hashlib.sha256("".join(lines).encode()).hexdigest()


def source_url():
    url = os.environ.get("ODOO_SOURCE_URL", "").strip()
    if url:
        return url
    dropped = os.path.join(DROP_DIR, ARCHIVE)
    if os.path.isfile(dropped):
        return "file://" + dropped
    return DEFAULT_URL


def download_hint(url, reason):
    return (f"cannot get the Odoo 18.0 source from {url} ({reason}): download {DEFAULT_URL} "
            f"into {DROP_DIR}/ (or set ODOO_SOURCE_URL=file:///path/to/{ARCHIVE}) and run again")


def download(url, into):
    """Copy url into the file into, with progress; return its size in bytes."""
    start = last = time.monotonic()
    done = 0
    tty = sys.stdout.isatty()
    try:
        with urllib.request.urlopen(url, timeout=60) as answer, open(into, "wb") as out:
            total = int(answer.headers.get("Content-Length") or 0)
            while True:
                block = answer.read(CHUNK)
                if not block:
                    break
                out.write(block)
                done += len(block)
                now = time.monotonic()
                if now - last >= (0.5 if tty else 10):
                    last = now
                    of = f" of {total / 1e6:.0f}" if total else ""
                    line = f"    {done / 1e6:.0f}{of} MB ({done / 1e6 / (now - start):.1f} MB/s)"
                    print("\r" + line if tty else line, end="" if tty else "\n", flush=True)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise Refused(download_hint(url, reason)) from None
    if tty:
        print()
    if not done:
        raise Refused(download_hint(url, "empty answer"))
    say(f"    downloaded {done / 1e6:.1f} MB in {time.monotonic() - start:.1f} s")
    return done


def unpack(archive, into):
    """Unpack archive (.tar.gz, .tar or .zip) into the folder into."""
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as pack:
                for name in pack.namelist():
                    if name.startswith("/") or ".." in name.split("/"):
                        raise Refused(f"unsafe path in the archive: {name}")
                pack.extractall(into)
            return
        with tarfile.open(archive, "r:*") as pack:
            if hasattr(tarfile, "data_filter"):
                pack.extractall(into, filter="data")
            else:  # Python < 3.11.4: refuse what the data filter would refuse
                for member in pack.getmembers():
                    if (member.name.startswith("/") or ".." in member.name.split("/")
                            or not (member.isfile() or member.isdir())):
                        raise Refused(f"unsafe entry in the archive: {member.name}")
                pack.extractall(into)
    except tarfile.ReadError:
        raise Refused("cannot unpack what was downloaded: not a .tar.gz, .tar or .zip "
                      "archive") from None
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise Refused(f"cannot unpack what was downloaded: {reason}") from None


def fetch(target, url):
    target = os.path.abspath(target)
    if os.path.isdir(target) and os.listdir(target):
        raise Refused(f"{target} exists and is not empty: not unpacking Odoo over it")
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    began = time.monotonic()
    say(f"==> Odoo 18.0 source not found: fetching {os.path.basename(url)} (about 370 MB, "
        f"first run only) into {target}")
    say(f"    from {url}")
    work = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.partial-", dir=parent)
    try:
        archive = os.path.join(work, "archive")
        download(url, archive)
        step = time.monotonic()
        unpack(archive, os.path.join(work, "tree"))
        os.unlink(archive)
        tops = os.listdir(os.path.join(work, "tree"))
        if len(tops) != 1 or not os.path.isdir(os.path.join(work, "tree", tops[0])):
            raise Refused("the archive does not hold one top-level folder: "
                          "not an Odoo source archive")
        tree = os.path.join(work, "tree", tops[0])
        say(f"    unpacked {tops[0]}/ in {time.monotonic() - step:.1f} s")
        step = time.monotonic()
        count, digest = tree_digest(tree, strict=True)
        if digest != TREE_SHA256:
            raise Refused(f"the Odoo source from {url} does not match the pinned tree "
                          f"(sha256 {digest}, {count} files; expected {TREE_SHA256}, "
                          f"{TREE_FILES} files): nothing installed")
        say(f"    verified {count} files against the pinned digest "
            f"in {time.monotonic() - step:.1f} s")
        if os.path.isdir(target):
            os.rmdir(target)  # empty: checked above
        os.rename(tree, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say(f"==> Odoo 18.0 ready at {target} ({time.monotonic() - began:.0f} s)")


def main(argv):
    if len(argv) == 2 and argv[0] == "--digest":
        count, digest = tree_digest(argv[1])
        say(f"{digest}  {count} files")
        return 0
    if len(argv) != 1 or argv[0].startswith("-"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        fetch(argv[0], source_url())
    except Refused as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted, nothing installed", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
