"""OCA conventions of every addon: README.rst generated from readme/ and up to date, the
fragments OCA uses, an Apps icon and page whose images exist, the manifest keys OCA checks."""
import importlib.metadata
import importlib.util
import re
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("gen_addon_readme",
                                               REPO / "tools" / "gen_addon_readme.py")
gen_addon_readme = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_addon_readme)

ADDONS = sorted(p.parent.name for p in REPO.glob("acorn_*/__manifest__.py"))


def test_addons_found():
    assert "acorn_amazon_vendor" in ADDONS


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_rst_is_generated_from_the_fragments(addon):
    addon_dir = REPO / addon
    for fragment in ("DESCRIPTION.md", "USAGE.md", "CONTRIBUTORS.md"):
        assert (addon_dir / "readme" / fragment).is_file(), f"{addon}: readme/{fragment}"
    readme = addon_dir / "README.rst"
    assert readme.is_file(), f"{addon}: no README.rst (run `make readme`)"
    assert readme.read_text(encoding="utf-8") == gen_addon_readme.render(addon_dir), (
        f"{addon}/README.rst is not up to date with readme/ and the manifest: run `make readme`")


@pytest.mark.parametrize("addon", ADDONS)
def test_apps_icon_and_page(addon):
    description = REPO / addon / "static" / "description"
    with Image.open(description / "icon.png") as icon:
        assert icon.format == "PNG" and icon.size == (128, 128)
    page = (description / "index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+src="([^"]+)"', page)
    for src in images:
        assert (description / src).is_file(), f"{addon}: index.html shows a missing {src}"


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_keys(addon):
    manifest = gen_addon_readme.read_manifest(REPO / addon)
    assert manifest["author"] == "ACORN for Odoo"
    assert manifest["license"] == "LGPL-3"
    assert manifest["website"].startswith("https://github.com/")
    assert manifest["version"].startswith("18.0.")
    assert isinstance(manifest.get("maintainers"), list) and manifest["maintainers"]
    assert manifest.get("development_status") in ("Alpha", "Beta", "Production/Stable", "Mature")
    # Odoo checks these at install by distribution name (a module name only warns)
    for name in manifest.get("external_dependencies", {}).get("python", []):
        importlib.metadata.version(name)


def test_markdown_to_rst():
    rst = gen_addon_readme.md_to_rst(
        "# Title\n\nSome `code`, **bold** and a [link](https://example.com).\n\n"
        "- one\n- two\n  continued\n  - nested\n\n1. first\n2. second\n\n"
        "```python\nprint(1)\n```\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n")
    assert "Title\n-----" in rst
    assert "Some ``code``, **bold** and a `link <https://example.com>`__." in rst
    assert "- one\n- two\n  continued\n\n  - nested" in rst
    assert "#. first\n#. second" in rst
    assert ".. code-block:: python\n\n   print(1)" in rst
    assert ".. list-table::" in rst and "   * - a\n     - b" in rst
