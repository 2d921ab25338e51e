#!/usr/bin/env python3
"""Write each addon's README.rst from its readme/*.md fragments and its manifest, as OCA's
oca-gen-addon-readme does for 18.0 (that tool is not on PyPI).

    python tools/gen_addon_readme.py            # (re)write every addon's README.rst
    python tools/gen_addon_readme.py --check    # exit 1 and name the stale ones, write nothing
    python tools/gen_addon_readme.py ADDON...   # only these addons

An addon is a folder of the repository with a __manifest__.py and a readme/ folder. The
fragments are plain Markdown: paragraphs, "#"/"##"/"###" headings, "-"/"*" and "1." lists
(nested by two or more spaces), fenced code blocks, `code`, **bold**, *italic*,
[links](url) and ![images](path), "|" tables. Anything else is copied as it is.
Section order, headings and the Bug Tracker / Credits text follow OCA's README template.
"""
import argparse
import ast
import hashlib
import re
import sys
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
BRANCH = "main"

# (fragment, section title); DESCRIPTION has no title, the table of contents follows it.
FRAGMENTS = [
    ("DESCRIPTION", None),
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]
CREDIT_FRAGMENTS = [("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits")]

DEVELOPMENT_STATUS_COLORS = {
    "Alpha": "red", "Beta": "yellow", "Production/Stable": "green", "Mature": "brightgreen",
}
LICENSES = {
    "LGPL-3": ("LGPL--3", "http://www.gnu.org/licenses/lgpl-3.0-standalone.html"),
    "AGPL-3": ("AGPL--3", "http://www.gnu.org/licenses/agpl-3.0-standalone.html"),
    "GPL-3": ("GPL--3", "http://www.gnu.org/licenses/gpl-3.0-standalone.html"),
    "OPL-1": ("OPL--1", "https://www.odoo.com/documentation/master/legal/licenses.html"),
}
# Heading underlines: the README's title, its sections, then the fragments' own headings.
TITLE_CHAR, SECTION_CHAR, SUB_CHARS = "=", "=", ["-", "~", "^"]


# ------------------------------------------------------------------ markdown -> rst
LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")


def _inline(text):
    """Markdown inline markup to reStructuredText (code, images, links, emphasis)."""
    out, pos = [], 0
    for match in re.finditer(r"`([^`]+)`", text):  # code first: nothing inside is markup
        out.append(_inline_plain(text[pos:match.start()]))
        out.append(f"``{match.group(1)}``")
        pos = match.end()
    out.append(_inline_plain(text[pos:]))
    return "".join(out)


def _inline_plain(text):
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", lambda m: f"`{m.group(1)} <{m.group(2)}>`__",
                  text)
    text = re.sub(r"(?<![*\w])_([^_\s][^_]*?)_(?![\w])", r"*\1*", text)  # _italic_
    return text


def _underline(title, char):
    return [title, char * len(title)]


def _table(rows):
    """A "|" Markdown table as an rst list-table (cells may then hold any inline markup)."""
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    header, body = cells[0], [r for r in cells[1:] if not all(re.fullmatch(r":?-+:?", c)
                                                              for c in r)]
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *body]:
        for i, cell in enumerate(row):
            out.append(f"   {'* -' if i == 0 else '  -'} {_inline(cell) or '..'}")
    return out + [""]


def md_to_rst(markdown, level=0):
    """The simple Markdown of the readme/ fragments as reStructuredText.

    ``level`` is the depth of the fragment's first heading level ("#") among SUB_CHARS.
    """
    lines = markdown.replace("\t", "    ").splitlines()
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        fence = re.match(r"^(\s*)```\s*([\w+-]*)\s*$", line)
        if fence:
            language = fence.group(2)
            out += [f".. code-block:: {language}" if language else "::", ""]
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                out.append(("   " + lines[i]) if lines[i].strip() else "")
                i += 1
            out.append("")
            i += 1
            continue
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if heading:
            depth = min(level + len(heading.group(1)) - 1, len(SUB_CHARS) - 1)
            out += _underline(_inline(heading.group(2)), SUB_CHARS[depth]) + [""]
            i += 1
            continue
        image = re.match(r"^!\[([^\]]*)\]\(([^)\s]+)\)\s*$", stripped)
        if image:
            out += [f".. image:: {image.group(2)}", f"   :alt: {image.group(1)}", ""]
            i += 1
            continue
        if stripped.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i])
                i += 1
            out += _table(rows)
            continue
        if LIST_ITEM.match(line):
            if out and out[-1]:
                out.append("")
            depth = 0
            while i < len(lines):
                item = LIST_ITEM.match(lines[i])
                if item:
                    new_depth = len(item.group(1)) // 2
                    if new_depth != depth and out[-1]:
                        out.append("")  # rst wants blank lines around a nested list
                    depth = new_depth
                    bullet = "-" if item.group(2) in "-*+" else "#."
                    out.append("  " * depth + f"{bullet} {_inline(item.group(3))}")
                    hang = "  " * depth + " " * (len(bullet) + 1)
                elif lines[i].strip() and lines[i].startswith(" "):  # continued item
                    out.append(hang + _inline(lines[i].strip()))
                else:
                    break
                i += 1
            out.append("")
            continue
        if not stripped:
            if out and out[-1]:
                out.append("")
            i += 1
            continue
        out.append(_inline(stripped))
        i += 1
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


# ------------------------------------------------------------------ README.rst
def read_manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text(encoding="utf-8"))


def _repository(manifest):
    website = manifest.get("website", "")
    match = re.match(r"https://github\.com/([^/]+)/([^/#?]+)", website)
    return (match.group(1), match.group(2).removesuffix(".git")) if match else (None, None)


def render(addon_dir):
    """The README.rst of one addon, as text."""
    addon = addon_dir.name
    manifest = read_manifest(addon_dir)
    readme = addon_dir / "readme"
    fragments = {}
    for name, _title in FRAGMENTS + CREDIT_FRAGMENTS:
        path = readme / f"{name}.md"
        if path.is_file() and path.read_text(encoding="utf-8").strip():
            fragments[name] = path.read_text(encoding="utf-8")
    org, repo = _repository(manifest)
    used = {k: manifest.get(k) for k in ("name", "version", "license", "development_status",
                                         "author", "maintainers", "website")}
    digest = hashlib.sha256(repr((sorted(used.items()), sorted(fragments.items())))
                            .encode()).hexdigest()

    out = _underline(manifest["name"], TITLE_CHAR)
    out.insert(0, TITLE_CHAR * len(manifest["name"]))
    notice = ["This file is generated by tools/gen_addon_readme.py",
              "(make readme): edit readme/*.md, not this file."]
    width = max(map(len, notice)) + 6
    out += ["", "..", "   " + "!" * width,
            *(f"   !! {line.ljust(width - 6)} !!" for line in notice),
            "   " + "!" * width,
            f"   !! source digest: sha256:{digest}",
            "   " + "!" * width, ""]
    badges = []
    status = manifest.get("development_status")
    if status:
        color = DEVELOPMENT_STATUS_COLORS.get(status, "lightgray")
        badges.append((f"maturity-{quote(status.replace('-', '--'), safe='')}-{color}",
                       "https://odoo-community.org/page/development-status", status))
    license_ = manifest.get("license")
    if license_:
        label, url = LICENSES.get(license_, (license_.replace("-", "--"), None))
        badges.append((f"license-{label}-blue", url, f"License: {license_}"))
    if org:
        label = f"{org}/{repo}".replace("-", "--").replace("/", "%2F")
        badges.append((f"github-{label}-lightgray.png?logo=github",
                       f"https://github.com/{org}/{repo}/tree/{BRANCH}/{addon}",
                       f"{org}/{repo}"))
    for n, (shield, target, alt) in enumerate(badges, 1):
        image = shield if shield.endswith("?logo=github") else f"{shield}.png"
        out.append(f".. |badge{n}| image:: https://img.shields.io/badge/{image}")
        if target:
            out.append(f"    :target: {target}")
        out.append(f"    :alt: {alt}")
    if badges:
        out += ["", " ".join(f"|badge{n}|" for n in range(1, len(badges) + 1)), ""]
    if "DESCRIPTION" in fragments:
        out += [md_to_rst(fragments["DESCRIPTION"]), ""]
    out += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    for name, title in FRAGMENTS[1:]:
        if name in fragments:
            out += _underline(title, SECTION_CHAR) + ["", md_to_rst(fragments[name]), ""]

    out += _underline("Bug Tracker", SECTION_CHAR) + [""]
    if org:
        body = quote(f"module: {addon}\nversion: {manifest.get('version', '')}\n\n"
                     "**Steps to reproduce**\n- ...\n\n**Current behavior**\n\n"
                     "**Expected behavior**", safe="")
        out += [f"Bugs are tracked on `GitHub Issues <https://github.com/{org}/{repo}/issues>`_.",
                "In case of trouble, please check there if your issue has already been "
                "reported.",
                "If you spotted it first, help us to smash it by providing a detailed and "
                "welcomed",
                f"`feedback <https://github.com/{org}/{repo}/issues/new?body={body}>`_.", ""]
    out += ["Do not contact contributors directly about support or help with technical "
            "issues.", ""]

    out += _underline("Credits", SECTION_CHAR) + [""]
    out += _underline("Authors", SUB_CHARS[0]) + [""]
    out += [f"- {a.strip()}" for a in manifest.get("author", "").split(",") if a.strip()]
    out.append("")
    for name, title in CREDIT_FRAGMENTS:
        if name in fragments:
            out += _underline(title, SUB_CHARS[0]) + ["", md_to_rst(fragments[name], 1), ""]
    maintainers = manifest.get("maintainers") or []
    if maintainers or org:
        out += _underline("Maintainers", SUB_CHARS[0]) + [""]
        if maintainers:
            out += [f"Current maintainer{'s' if len(maintainers) > 1 else ''}:", "",
                    " ".join(f"|maintainer-{m}|" for m in maintainers), ""]
            for m in maintainers:
                out += [f".. |maintainer-{m}| image:: https://github.com/{m}.png?size=40px",
                        f"    :target: https://github.com/{m}", f"    :alt: {m}"]
            out.append("")
        if org:
            out += [f"This module is part of the `{org}/{repo} "
                    f"<https://github.com/{org}/{repo}/tree/{BRANCH}/{addon}>`_ project on "
                    "GitHub.", "",
                    "You are welcome to contribute.", ""]
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def addons(names=()):
    dirs = [REPO / n for n in names] if names else sorted(
        p.parent for p in REPO.glob("*/__manifest__.py"))
    return [d for d in dirs if (d / "__manifest__.py").is_file() and (d / "readme").is_dir()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a README.rst is not up to date")
    parser.add_argument("addons", nargs="*", help="addon folders (default: every addon)")
    args = parser.parse_args(argv)
    stale = []
    for addon_dir in addons(args.addons):
        target = addon_dir / "README.rst"
        text = render(addon_dir)
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            continue
        stale.append(addon_dir.name)
        if not args.check:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(REPO)}")
    if args.check and stale:
        print("README.rst not up to date with readme/ and the manifest: "
              + ", ".join(stale) + " (run `make readme`)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
