"""Amazon's label images in the file the warehouse's printer takes.

Amazon sends each warehouse's labels as ZPL or PNG (its own setting). A PNG becomes a one-page
PDF for office printers, or a ZPL graphic field (``^GFA``) for thermal printers; ZPL is printer
code, not an image, and is passed on unchanged.
"""
import io

from PIL import Image, ImageOps

ZPL_DPI = 203  # Zebra's standard print head: 8 dots per mm


def png_to_pdf(png):
    """One PDF page holding the PNG label."""
    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, "PDF")
    return out.getvalue()


def png_to_zpl(png, threshold=128):
    """A ZPL label printing the PNG as a graphic field at the origin: dark pixels (below
    ``threshold`` in grey) print, one bit per dot, rows padded to whole bytes."""
    grey = Image.open(io.BytesIO(png)).convert("L")
    # Inverted first, so that a printed dot is bit 1 and the padding bits stay 0 (blank).
    bits = ImageOps.invert(grey).point(lambda v: 255 if v > 255 - threshold else 0).convert("1")
    width, height = bits.size
    row_bytes = (width + 7) // 8
    data = bits.tobytes()
    total = row_bytes * height
    return (f"^XA^PW{width}^LL{height}^FO0,0^GFA,{total},{total},{row_bytes},"
            f"{data.hex().upper()}^FS^XZ").encode("ascii")
