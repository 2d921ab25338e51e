"""tools/fetch_odoo.py, run as `make demo` / `make test` run it when no Odoo tree is found:
the real script in a subprocess, archives served through file:// URLs (no mocks).

The last test packs the real ODOO_PATH tree the way Odoo's nightly sdist is packed
(odoo-18.0.post20250925/ on top) and checks that the pinned digest accepts it. It writes a
plain .tar (the script takes .tar.gz, .tar and .zip): gzip would add half a minute on the
2-core machine, and the .tar.gz path is covered by the synthetic archives above it.
"""
import importlib.util
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tarfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tools" / "fetch_odoo.py"
_spec = importlib.util.spec_from_file_location("fetch_odoo", SCRIPT)
fetch_odoo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fetch_odoo)
TOP = "odoo-18.0.post20250925"


def run_fetch(target, url, timeout=300):
    env = dict(os.environ, ODOO_SOURCE_URL=url)
    return subprocess.run([sys.executable, str(SCRIPT), str(target)], env=env, timeout=timeout,
                          capture_output=True, text=True, check=False)


def check_odoo(odoo_path, url):
    env = dict(os.environ, ODOO_SOURCE_URL=url, ODOO_PATH=str(odoo_path))
    script = f'source "{REPO}/tools/env.sh"; check_python; check_odoo; echo "ODOO_PATH=$ODOO_PATH"'
    return subprocess.run(["bash", "-c", script], env=env, timeout=300, capture_output=True,
                          text=True, check=False)


def synthetic_archive(path, files, top=TOP):
    with tarfile.open(path, "w:gz", compresslevel=1) as pack:
        for name, text in files.items():
            source = path.parent / "src" / top / name
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_text(text)
        pack.add(path.parent / "src" / top, arcname=top)
    return path


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name)


def assert_one_line_error(result, *parts):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr + result.stdout
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("target_exists", [False, True], ids=["missing", "empty folder"])
def test_wrong_digest_refused_and_nothing_installed(tmp_path, target_exists):
    archive = synthetic_archive(tmp_path / "fake.tar.gz", {
        "odoo/release.py": "version_info = (18, 0, 0, 'final', 0, '')\n",
        "odoo/__init__.py": "",
        "PKG-INFO": "Version: 18.0.post20250925\n"})
    target = tmp_path / "new-odoo"
    if target_exists:
        target.mkdir()
    result = run_fetch(target, archive.as_uri())
    line = assert_one_line_error(result, "does not match the pinned tree", "nothing installed",
                                 fetch_odoo.TREE_SHA256)
    assert "3 files" in line
    assert target.exists() == target_exists
    if target_exists:
        assert not any(target.iterdir())
    assert leftovers(tmp_path) == []
    assert archive.is_file(), "a file:// archive is the user's: it stays"


@pytest.mark.parametrize("extra", ["pyc", "link"])
def test_what_the_digest_cannot_see_is_refused(tmp_path, extra):
    """Compiled Python beside the verified source would run instead of it, and a linked
    folder is not walked by the digest: the archive is refused, whatever its digest says."""
    files = {"odoo/release.py": "version_info = (18, 0, 0, 'final', 0, '')\n",
             "odoo/__init__.py": ""}
    if extra == "pyc":
        files["odoo/__pycache__/release.cpython-311.pyc"] = "not the verified source"
    src = tmp_path / "src" / TOP
    for name, text in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text)
    if extra == "link":
        (src / "odoo" / "etc").symlink_to("/etc", target_is_directory=True)
    # The lenient digest (a tree Odoo already ran from) skips both: the same figure.
    assert fetch_odoo.tree_digest(src)[0] == 2
    archive = tmp_path / "odd.tar"
    with tarfile.open(archive, "w") as pack:
        pack.add(src, arcname=TOP)
    target = tmp_path / "new-odoo"
    result = run_fetch(target, archive.as_uri())
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    if extra == "pyc":
        assert_one_line_error(result, "unexpected", "odoo/__pycache__")
    else:  # refused by the unpacking (a link out of the tree) or by the walk
        assert_one_line_error(result)
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_missing_archive_one_line(tmp_path):
    target = tmp_path / "new-odoo"
    result = run_fetch(target, (tmp_path / "nowhere" / "odoo.tar.gz").as_uri())
    assert_one_line_error(result, fetch_odoo.DEFAULT_URL, "ODOO_SOURCE_URL=file://",
                          str(REPO / ".odoo"), "No such file")
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_unreachable_url_one_line(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = tmp_path / "new-odoo"
    result = run_fetch(target, f"http://127.0.0.1:{port}/odoo_18.0.20250925.tar.gz", timeout=120)
    assert_one_line_error(result, fetch_odoo.DEFAULT_URL, "ODOO_SOURCE_URL=", "refused")
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_not_an_archive_refused(tmp_path):
    bogus = tmp_path / "odoo.tar.gz"
    bogus.write_text("<html>404 Not Found</html>\n")
    result = run_fetch(tmp_path / "new-odoo", bogus.as_uri())
    assert_one_line_error(result, "cannot unpack")
    assert not (tmp_path / "new-odoo").exists()
    assert leftovers(tmp_path) == []


def test_non_empty_target_left_alone(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = run_fetch(target, (tmp_path / "any.tar.gz").as_uri())
    assert_one_line_error(result, "not empty")
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_real_tree_accepted_by_pinned_digest(tmp_path):
    odoo_path = pathlib.Path(os.environ.get("ODOO_PATH") or "/opt/odoo-18.0")
    if not (odoo_path / "odoo" / "release.py").is_file():
        pytest.skip(f"no Odoo tree at ODOO_PATH={odoo_path} to pack")
    pkg_info = odoo_path / "PKG-INFO"
    if "Version: 18.0.post20250925\n" not in (pkg_info.read_text() if pkg_info.is_file() else ""):
        pytest.skip(f"ODOO_PATH={odoo_path} is not the pinned nightly 18.0.post20250925 "
                    "(another release or a git checkout): its digest differs by design")

    def as_in_sdist(info):  # MANIFEST.in: no .gitignore on top, no bytecode
        name = info.name[len(TOP) + 1:]
        if name == ".gitignore" or "__pycache__" in name.split("/"):
            return None
        return info

    archive = tmp_path / "odoo_18.0.20250925.tar"
    target = tmp_path / "new-odoo"
    try:
        with tarfile.open(archive, "w") as pack:
            pack.add(odoo_path, arcname=TOP, filter=as_in_sdist)
        # Through tools/env.sh's check_odoo, as `make test` meets a missing ODOO_PATH.
        result = check_odoo(target, archive.as_uri())
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert result.stdout.splitlines()[-1] == f"ODOO_PATH={target}"
        assert f"verified {fetch_odoo.TREE_FILES} files against the pinned digest" in result.stdout
        assert " MB in " in result.stdout and "Odoo 18.0 ready at" in result.stdout
        assert "version_info = (18, 0" in (target / "odoo" / "release.py").read_text()
        assert (target / "odoo" / "addons" / "sale_stock" / "__manifest__.py").is_file()
        assert not (target / TOP).exists(), "the top-level folder of the archive is stripped"
        assert leftovers(tmp_path) == []
        assert fetch_odoo.tree_digest(target) == (fetch_odoo.TREE_FILES, fetch_odoo.TREE_SHA256)

        # The next run finds the tree and uses it as it is; the script itself would refuse
        # to unpack over it.
        again = check_odoo(target, (tmp_path / "gone.tar").as_uri())
        assert again.returncode == 0, again.stderr
        assert again.stdout == f"ODOO_PATH={target}\n"
        assert_one_line_error(run_fetch(target, archive.as_uri()), "not empty")
    finally:  # 2.4 GB: not left to pytest's kept temporary folders
        archive.unlink(missing_ok=True)
        shutil.rmtree(target, ignore_errors=True)
