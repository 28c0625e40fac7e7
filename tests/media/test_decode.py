"""Tests for photoorg.media: safe opening and upright decoding (decode), metadata and the
XMP/IPTC inside files (metadata, embedded), thumbnails.

Expected metadata values come from exiftool 12.57 (`exiftool -n -T ...`), not from the code
under test. Corpus files are only read; everything generated goes into tmp_path or memory.
"""

from __future__ import annotations

import io
import random
import struct
import time
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFile, ImageStat, PngImagePlugin, TiffImagePlugin

from photoorg.errors import ImageError, PhotoOrgError
from photoorg.media.decode import MAX_PIXELS, SUPPORTED_EXTENSIONS, decode_upright, open_image
from photoorg.media.metadata import PhotoMetadata, read_metadata
from photoorg.media.thumbnails import make_thumbnail

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "exif-samples"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"exif-samples corpus not found at {CORPUS}"
)


def corpus_bytes(relative: str) -> bytes:
    return (CORPUS / relative).read_bytes()


def corpus_metadata(relative: str) -> PhotoMetadata:
    return read_metadata(open_image(corpus_bytes(relative), relative))


def encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def photo_like(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """Smooth gradients plus noise: compresses like a photo, unlike a flat colour."""
    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    noise = Image.effect_noise(size, 40).convert("L")
    red = ImageChops.add(gradient, noise, scale=1.5)
    green = gradient.transpose(Image.Transpose.ROTATE_180)
    blue = Image.radial_gradient("L").resize(size)
    img = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(img)
    rng = random.Random(seed)
    for _ in range(20):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(5, max(6, width // 8))
        fill = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
    return img


def with_segments(jpeg: bytes, *segments: tuple[int, bytes]) -> bytes:
    """Insert APPn segments (marker, payload) right after the JPEG's SOI."""
    assert jpeg[:2] == b"\xff\xd8"
    raw = b"".join(
        struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload
        for marker, payload in segments
    )
    return jpeg[:2] + raw + jpeg[2:]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a size but holds (almost) no pixel data: costs nothing to make."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b""))
        + png_chunk(b"IEND", b"")
    )


def small_gray(img: Image.Image) -> Image.Image:
    return img.convert("L").resize((32, 32), Image.Resampling.BOX)


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return ImageStat.Stat(ImageChops.difference(small_gray(a), small_gray(b))).mean[0]


def test_supported_extensions_are_lowercase_with_dot() -> None:
    assert {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".heic", ".hif"} <= (
        SUPPORTED_EXTENSIONS
    )
    assert all(ext.startswith(".") and ext == ext.lower() for ext in SUPPORTED_EXTENSIONS)
    assert issubclass(ImageError, PhotoOrgError)
    assert 150_000_000 <= MAX_PIXELS <= 250_000_000


# ------------------------------------------------------------------ camera EXIF (corpus)

# file: (make, model, taken_at, exposure_time, f_number, iso, focal_length), by exiftool.
CAMERAS = {
    "jpg/Canon_40D.jpg": (
        "Canon", "Canon EOS 40D", "2008-05-30T15:56:01", 1 / 160, 7.1, 100, 135.0,
    ),
    "jpg/Fujifilm_FinePix_E500.jpg": (
        "FUJIFILM", "FinePix E500", "2006-08-17T09:24:48", 0.0125, 2.9, 100, 4.7,
    ),
    "jpg/Olympus_C8080WZ.jpg": (
        "OLYMPUS CORPORATION", "C8080WZ", "2006-10-22T15:44:29", 1 / 160, 2.8, 50, 15.8,
    ),
    "jpg/Panasonic_DMC-FZ30.jpg": (
        "Panasonic", "DMC-FZ30", "2008-07-16T11:33:20", 1 / 30, 3.2, 100, 14.1,
    ),
    "jpg/exif-org/nikon-e950.jpg": (
        "NIKON", "E950", "2001-04-06T11:51:40", 1 / 77, 5.5, 80, 12.8,
    ),
    # No EXIF offset; the XMP exif:DateTimeOriginal of the same local time carries one.
    "jpg/Nikon_D70.jpg": (
        "NIKON CORPORATION", "NIKON D70", "2008-03-15T09:52:01-04:00", 0.005, 9.0, 200, 100.0,
    ),
    "jpg/Pentax_K10D.jpg": (
        "PENTAX Corporation", "PENTAX K10D", "2008-05-04T16:47:24+09:00", 1 / 180, 11.0, 200,
        90.0,
    ),
    # OffsetTimeOriginal -05:00 in the EXIF itself.
    "heic/IMG_5195.HEIC": (
        "Apple", "iPhone 11 Pro Max", "2021-04-11T15:47:53-05:00", 1 / 391, 1.8, 32, 4.25,
    ),
}  # fmt: skip


@needs_corpus
@pytest.mark.parametrize("relative", sorted(CAMERAS))
def test_camera_exif_matches_exiftool(relative: str) -> None:
    make, model, taken_at, exposure, f_number, iso, focal = CAMERAS[relative]
    meta = corpus_metadata(relative)
    assert (meta.camera_make, meta.camera_model, meta.taken_at) == (make, model, taken_at)
    assert meta.exposure_time == pytest.approx(exposure, rel=1e-3)
    assert meta.f_number == pytest.approx(f_number)
    assert meta.iso == iso
    assert meta.focal_length == pytest.approx(focal)


@needs_corpus
def test_lens_and_missing_fields() -> None:
    heic = corpus_metadata("heic/IMG_5195.HEIC")
    assert heic.lens == "iPhone 11 Pro Max back triple camera 4.25mm f/1.8"
    # exiftool's ISO 50 here is computed from Canon maker notes; the EXIF has none.
    ixus = corpus_metadata("jpg/Canon_DIGITAL_IXUS_400.jpg")
    assert ixus.iso is None
    assert ixus.lens is None
    assert ixus.taken_at == "2004-08-27T13:52:55+02:00"
    painted = corpus_metadata("jpg/PaintTool_sample.jpg")
    assert painted.taken_at is None
    assert painted.camera_make is None
    assert (painted.gps_lat, painted.gps_lon, painted.keywords) == (None, None, ())
    # Only ModifyDate (EXIF DateTime) is present: the last fallback.
    assert corpus_metadata("jpg/Canon_40D_photoshop_import.jpg").taken_at == ("2008-07-31T10:05:49")


# ------------------------------------------------------------------ GPS (corpus)

GPS = {  # exiftool -n -GPSLatitude -GPSLongitude
    "jpg/gps/DSCN0010.jpg": (43.4674483333333, 11.8851266666639),
    "jpg/gps/DSCN0012.jpg": (43.4671566666639, 11.8853949999972),
    "jpg/gps/DSCN0021.jpg": (43.4670816666639, 11.8845383333306),
    "jpg/gps/DSCN0025.jpg": (43.468365, 11.8816349999722),
    "jpg/gps/DSCN0027.jpg": (43.4684416666667, 11.881515),
    "jpg/gps/DSCN0029.jpg": (43.4682433333306, 11.8801716666389),
    "jpg/gps/DSCN0038.jpg": (43.4672549999972, 11.8792133333333),
    "jpg/gps/DSCN0040.jpg": (43.4660116666389, 11.8791116666389),
    "jpg/gps/DSCN0042.jpg": (43.464455, 11.8814783333333),
    "jpg/Kodak_CX7530.jpg": (-0.3713, 36.0564166666667),  # South
    "heic/IMG_5195.HEIC": (39.0513444444444, -94.2887722222222),  # West
}


@needs_corpus
@pytest.mark.parametrize("relative", sorted(GPS))
def test_gps_decimal_degrees_with_sign(relative: str) -> None:
    meta = corpus_metadata(relative)
    assert (meta.gps_lat, meta.gps_lon) == pytest.approx(GPS[relative], abs=1e-7)


@needs_corpus
def test_gps_ifd_without_position_gives_none() -> None:
    meta = corpus_metadata("jpg/Canon_40D.jpg")  # a GPS IFD holding only GPSVersionID
    assert (meta.gps_lat, meta.gps_lon) == (None, None)


# ------------------------------------------------------------------ orientation (corpus)


@needs_corpus
@pytest.mark.parametrize("kind", ["landscape", "portrait"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_files_decode_upright(kind: str, orientation: int) -> None:
    upright_size = (600, 450) if kind == "landscape" else (450, 600)
    img = open_image(corpus_bytes(f"jpg/orientation/{kind}_{orientation}.jpg"))
    meta = read_metadata(img)
    assert meta.orientation == orientation
    assert (meta.width, meta.height) == upright_size
    picture = decode_upright(img, 0)
    assert picture.size == upright_size
    assert picture.mode == "RGB"

    # Each file shows the same scene (only the big digit differs): the decoded picture must
    # match the orientation-1 one better than any other of the 8 flips and turns would.
    reference = decode_upright(open_image(corpus_bytes(f"jpg/orientation/{kind}_1.jpg")), 0)
    difference = mean_difference(picture, reference)
    assert difference < 20
    for method in Image.Transpose:
        assert mean_difference(picture.transpose(method), reference) > difference + 10


# ------------------------------------------------------------------ HEIF, TIFF (corpus)


@needs_corpus
def test_heif_files_open_with_their_size() -> None:
    small = open_image(corpus_bytes("heic/samplefilehub.heif"))
    assert (small.format, small.size) == ("HEIF", (640, 426))
    assert decode_upright(small, 0).size == (640, 426)

    big = open_image(corpus_bytes("heic/IMG_5195.HEIC"))
    meta = read_metadata(big)
    assert (meta.format, meta.width, meta.height, meta.orientation) == ("HEIF", 2566, 3313, 1)
    picture = decode_upright(big, 256)  # no embedded thumbnail: full decode, then reduced
    assert picture.mode == "RGB"
    assert min(picture.size) >= 256
    assert picture.size[0] / picture.size[1] == pytest.approx(2566 / 3313, rel=0.01)


def test_heif_rotation_is_applied_once(tmp_path: Path) -> None:
    # pillow-heif turns EXIF orientation 6 into a HEIF rotation on save and undoes it on
    # decode; applying the EXIF orientation again would turn the picture twice.
    img = Image.new("RGB", (80, 40), "white")
    ImageDraw.Draw(img).rectangle((0, 0, 19, 19), fill="red")  # red at top left
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "rotated.heic"
    path.write_bytes(encode(img, "HEIF", exif=exif.tobytes(), quality=95))

    opened = open_image(path.read_bytes(), path.name)
    meta = read_metadata(opened)
    assert (meta.format, meta.orientation, meta.width, meta.height) == ("HEIF", 6, 40, 80)
    picture = decode_upright(opened, 0)
    assert picture.size == (40, 80)
    # Turned 90 degrees clockwise, the red corner is now at the top right.
    assert picture.getpixel((35, 5))[0] > 200
    assert picture.getpixel((35, 5))[1] < 60
    assert picture.getpixel((5, 5)) == pytest.approx((255, 255, 255), abs=20)


TIFF_SIZES = {  # exiftool ImageWidth x ImageHeight
    "Arbitro.tiff": (174, 38),
    "BSG1.tiff": (635, 348),
    "Crémieux11.tiff": (199, 47),
    "DudleyLeavittUtah.tiff": (196, 257),
    "Jobagent.tiff": (264, 84),
    "Picoawards.tiff": (436, 547),
    "Rudless.tiff": (734, 328),
    "Tless0.tiff": (643, 448),
}


@needs_corpus
@pytest.mark.parametrize("name", sorted(TIFF_SIZES))
def test_tiff_files_decode(name: str) -> None:
    path = CORPUS / "tiff" / name  # includes a non-ASCII file name
    img = open_image(path.read_bytes(), path.name)
    meta = read_metadata(img)
    assert (meta.format, (meta.width, meta.height)) == ("TIFF", TIFF_SIZES[name])
    picture = decode_upright(img, 0)
    assert (picture.mode, picture.size) == ("RGB", TIFF_SIZES[name])
    assert make_thumbnail(picture)[:2] == b"\xff\xd8"


@needs_corpus
def test_tiff_rgba_keeps_opaque_colours() -> None:
    img = open_image(corpus_bytes("tiff/Arbitro.tiff"))
    assert img.mode == "RGBA"
    first = img.getpixel((0, 0))
    assert decode_upright(img, 0).getpixel((0, 0)) == first[:3]  # alpha 255 there


# ------------------------------------------------------------------ broken files (corpus)


@needs_corpus
@pytest.mark.parametrize(
    "path",
    [*sorted((CORPUS / "jpg" / "invalid").glob("*.jpg")), CORPUS / "jpg" / "corrupted.jpg"],
    ids=lambda path: path.name,
)
def test_invalid_corpus_files_never_hang_or_crash(path: Path) -> None:
    # jpg/invalid/* broke EXIF readers; their pixels are fine. corrupted.jpg's entropy
    # data ends early: libjpeg fills the last rows with grey and says nothing, so it decodes.
    started = time.monotonic()
    img = open_image(path.read_bytes(), path.name)
    stored_size = img.size
    meta = read_metadata(img)
    picture = decode_upright(img, 128)
    assert (meta.width, meta.height) == stored_size  # all orientation 1 (or none)
    assert picture.mode == "RGB"
    assert min(picture.size) >= min(128, meta.width, meta.height)
    assert time.monotonic() - started < 5


@needs_corpus
def test_invalid_corpus_files_have_only_xmp() -> None:
    # These files carry no EXIF, just an XMP packet (tiff:Orientation in some): they once
    # sent EXIF readers into endless loops.
    meta = corpus_metadata("jpg/invalid/image00971.jpg")
    assert (meta.width, meta.height, meta.orientation) == (636, 227, 1)
    assert meta.taken_at is None
    assert meta.camera_make is None


# ------------------------------------------------------------------ generated bad input


def test_empty_file() -> None:
    with pytest.raises(ImageError, match=r"^holiday\.jpg: empty file$"):
        open_image(b"", "holiday.jpg")


def test_random_bytes_named_jpg(tmp_path: Path) -> None:
    path = tmp_path / "noise.jpg"
    path.write_bytes(random.Random(1).randbytes(5000))
    with pytest.raises(ImageError, match=r"noise\.jpg: not a supported image"):
        open_image(path.read_bytes(), path.name)


def test_unsupported_formats_are_refused() -> None:
    pcx = encode(Image.new("RGB", (8, 8)), "PCX")  # Pillow reads it, PhotoOrg must not
    with pytest.raises(ImageError, match="not a supported image"):
        open_image(pcx)
    avif_like = b"\x00\x00\x00\x1cftypavif" + bytes(100)
    with pytest.raises(ImageError, match=r"unsupported format.*avif"):
        open_image(avif_like)


def test_damaged_header() -> None:
    jpeg = encode(photo_like((64, 48)), "JPEG")
    with pytest.raises(ImageError, match="damaged JPEG header"):
        open_image(jpeg[:40])


def test_jpeg_cut_in_half(tmp_path: Path) -> None:
    path = tmp_path / "half.jpg"
    jpeg = encode(photo_like((640, 480)), "JPEG", quality=90)
    path.write_bytes(jpeg[: len(jpeg) // 2])
    img = open_image(path.read_bytes(), path.name)  # the header is intact
    assert read_metadata(img).width == 640
    with pytest.raises(ImageError, match="truncated or corrupt image data"):
        decode_upright(img, 0)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # we never relax the global switch


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (png_header_only(100_000, 100_000), "image too large: 10000 megapixels"),
        # SOF0 declaring 65000x65000, then nothing: Pillow refuses before any decoding.
        (
            b"\xff\xd8\xff\xc0\x00\x11\x08" + struct.pack(">HH", 65000, 65000) + b"\x03"
            b"\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9",
            "image too large: 4225 megapixels",
        ),
    ],
    ids=["png", "jpeg"],
)
def test_decompression_bomb_headers(data: bytes, message: str) -> None:
    started = time.monotonic()
    with pytest.raises(ImageError, match=message):
        open_image(data, "bomb")
    assert time.monotonic() - started < 1


def test_size_limit_is_ours_not_pillows() -> None:
    # Just over our limit: refused with the declared size. Pillow warns first in this band
    # (one to two times its limit); suppressing that would need warnings.catch_warnings,
    # which is not thread-safe.
    with (
        pytest.warns(Image.DecompressionBombWarning),
        pytest.raises(ImageError, match=r"image too large: 15000x15000 pixels"),
    ):
        open_image(png_header_only(15_000, 15_000))
    # Just under it: accepted, and Pillow does not even warn.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert open_image(png_header_only(14_000, 14_000)).size == (14_000, 14_000)


def test_png_with_huge_text_chunk() -> None:
    base = encode(Image.new("RGB", (16, 16), "red"), "PNG")
    ihdr_end = 8 + 25
    big_text = png_chunk(b"tEXt", b"Comment\x00" + b"x" * 4_000_000)
    img = open_image(base[:ihdr_end] + big_text + base[ihdr_end:])
    assert read_metadata(img).keywords == ()
    assert decode_upright(img, 0).getpixel((0, 0)) == (255, 0, 0)
    # Compressed text that inflates past Pillow's limit is a zip bomb: refused.
    bomb = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"x" * 5_000_000))
    with pytest.raises(ImageError, match="damaged PNG header"):
        open_image(base[:ihdr_end] + bomb + base[ihdr_end:])


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")  # Pillow's, harmless
def test_broken_exif_never_raises() -> None:
    jpeg = encode(photo_like((64, 48)), "JPEG")
    garbage = [
        b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 0xFFFFFF00),  # IFD beyond the end
        b"Exif\x00\x00" + b"MM\x00*\x00\x00\x00\x08\x00\xff" + bytes(20),  # 255 entries, cut
        b"Exif\x00\x00" + random.Random(3).randbytes(300),
    ]
    for block in garbage:
        meta = read_metadata(open_image(with_segments(jpeg, (0xE1, block))))
        assert (meta.width, meta.height, meta.orientation) == (64, 48, 1)
        assert meta.taken_at is None
        assert meta.gps_lat is None


def test_exif_values_that_make_no_sense() -> None:
    exif = Image.Exif()
    exif[0x010F] = "  Acme\x00\x00\x00"
    exif[0x0110] = "Model X\x00"
    exif[0x0112] = 42  # not an orientation
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = "0000:00:00 00:00:00"  # DateTimeOriginal: unset
    exif_ifd[0x9004] = "2019:06:01 14:03:22"  # DateTimeDigitized: the fallback
    exif_ifd[0x9012] = "+02:00"  # OffsetTimeDigitized
    exif_ifd[0x829D] = TiffImagePlugin.IFDRational(0, 0)  # FNumber 0/0
    gps = exif.get_ifd(0x8825)
    zero = TiffImagePlugin.IFDRational(0, 0)
    gps.update({1: "N", 2: (zero, zero, zero), 3: "E", 4: (1.0, 2.0, 3.0)})
    jpeg = encode(photo_like((64, 48)), "JPEG", exif=exif.tobytes())

    meta = read_metadata(open_image(jpeg))
    assert (meta.camera_make, meta.camera_model) == ("Acme", "Model X")
    assert meta.orientation == 1
    assert meta.taken_at == "2019-06-01T14:03:22+02:00"
    assert meta.f_number is None
    assert (meta.gps_lat, meta.gps_lon) == (None, None)


def test_gps_out_of_range_and_null_island() -> None:
    def position(lat: tuple[float, ...], lon: tuple[float, ...]) -> tuple[object, object]:
        exif = Image.Exif()
        exif.get_ifd(0x8825).update({1: "S", 2: lat, 3: "W", 4: lon})
        meta = read_metadata(open_image(encode(Image.new("RGB", (8, 8)), "JPEG", exif=exif)))
        return meta.gps_lat, meta.gps_lon

    assert position((33.0, 51.0, 36.0), (151.0, 12.0, 36.0)) == pytest.approx((-33.86, -151.21))
    assert position((95.0, 0.0, 0.0), (10.0, 0.0, 0.0)) == (None, None)
    assert position((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)) == (None, None)


# ------------------------------------------------------------------ keywords


@needs_corpus
def test_corpus_keywords_from_xmp_and_iptc() -> None:
    # BlueSquare has the same five words in XMP dc:subject and IPTC Keywords.
    assert corpus_metadata("jpg/xmp/BlueSquare.jpg").keywords == (
        "XMP",
        "Blue Square",
        "test file",
        "Photoshop",
        ".jpg",
    )
    assert corpus_metadata("jpg/xmp/no_exif.jpg").keywords == ("tag",)


XMP_PACKET = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    exif:DateTimeOriginal="2019-06-01T14:03:22+05:30">
   <dc:subject><rdf:Bag>
     <rdf:li>beach</rdf:li><rdf:li>Zoë</rdf:li><rdf:li> sunset </rdf:li>
   </rdf:Bag></dc:subject>
   <lr:hierarchicalSubject><rdf:Bag>
     <rdf:li>places|Europe|Lisbon</rdf:li><rdf:li>beach</rdf:li>
   </rdf:Bag></lr:hierarchicalSubject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def iptc_app13(keywords: list[str]) -> bytes:
    """A Photoshop APP13 block holding IPTC-IIM records, UTF-8 flagged."""

    def record(number: int, dataset: int, value: bytes) -> bytes:
        return struct.pack(">BBBH", 0x1C, number, dataset, len(value)) + value

    iim = record(1, 90, b"\x1b%G") + record(2, 0, b"\x00\x04")
    iim += b"".join(record(2, 25, word.encode()) for word in keywords)
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim))
    return b"Photoshop 3.0\x00" + resource + iim


def test_generated_xmp_and_iptc_keywords(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2019:06:01 14:03:22"
    jpeg = encode(photo_like((64, 48)), "JPEG", exif=exif.tobytes())
    xmp = b"http://ns.adobe.com/xap/1.0/\x00" + XMP_PACKET.encode()
    path = tmp_path / "tagged.jpg"
    path.write_bytes(
        with_segments(jpeg, (0xE1, xmp), (0xED, iptc_app13(["sunset", "Café", "family"])))
    )
    meta = read_metadata(open_image(path.read_bytes()))
    assert meta.keywords == ("beach", "Zoë", "sunset", "places|Europe|Lisbon", "Café", "family")
    # The XMP copy of DateTimeOriginal lends its offset to the same local time.
    assert meta.taken_at == "2019-06-01T14:03:22+05:30"


@pytest.mark.parametrize(
    "packet",
    [
        b"<x:xmpmeta><rdf:RDF>not closed",
        # Entity expansion (billion laughs) must be refused, not expanded.
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>',
        b"\x00\x00\x00",
    ],
    ids=["unclosed", "entities", "nuls"],
)
def test_broken_xmp_is_ignored(packet: bytes) -> None:
    jpeg = encode(photo_like((64, 48)), "JPEG")
    xmp = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    meta = read_metadata(open_image(with_segments(jpeg, (0xE1, xmp))))
    assert meta.keywords == ()
    assert meta.width == 64


def test_png_xmp_keywords() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP_PACKET)
    meta = read_metadata(open_image(encode(Image.new("RGB", (8, 8)), "PNG", pnginfo=info)))
    assert meta.keywords[:3] == ("beach", "Zoë", "sunset")


# ------------------------------------------------------------------ decoding


def test_read_metadata_does_not_decode_pixels() -> None:
    png = encode(photo_like((300, 200)), "PNG")
    img = open_image(png)
    read_metadata(img)
    assert img.tile, "read_metadata must leave the pixel data undecoded"
    jpeg = open_image(encode(photo_like((300, 200)), "JPEG"))
    read_metadata(jpeg)
    assert jpeg.tile


def test_draft_mode_for_large_jpeg() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # held upright: stored 4000x3000, shown 3000x4000
    big = photo_like((500, 375)).resize((4000, 3000), Image.Resampling.BILINEAR)  # cheap
    img = open_image(encode(big, "JPEG", quality=85, exif=exif))
    meta = read_metadata(img)
    assert (meta.width, meta.height) == (3000, 4000)
    picture = decode_upright(img, 256)
    # libjpeg decoded at 1/8 scale: 500x375, turned to 375x500.
    assert picture.size == (375, 500)
    assert min(picture.size) >= 256


def test_full_decode_and_reduction_of_other_formats() -> None:
    jpeg = encode(photo_like((640, 480)), "JPEG")
    assert decode_upright(open_image(jpeg), 0).size == (640, 480)
    big = photo_like((250, 125)).resize((2000, 1000), Image.Resampling.BILINEAR)
    png = encode(big, "PNG", compress_level=1)
    picture = decode_upright(open_image(png), 256)
    assert min(picture.size) >= 256
    assert picture.size[0] <= 700
    small = encode(photo_like((200, 100)), "PNG")
    assert decode_upright(open_image(small), 256).size == (200, 100)  # never enlarged


def test_gif_first_frame_and_transparency() -> None:
    frames = [Image.new("RGB", (32, 32), colour) for colour in ("red", "blue", "green")]
    gif = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    img = open_image(gif)
    assert read_metadata(img).format == "GIF"
    assert decode_upright(img, 0).getpixel((5, 5)) == (255, 0, 0)

    transparent = Image.new("P", (16, 16), 0)
    transparent.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    transparent.paste(1, (0, 0, 8, 16))
    gif = encode(transparent, "GIF", transparency=0)
    picture = decode_upright(open_image(gif), 0)
    assert picture.getpixel((2, 2)) == (255, 0, 0)
    assert picture.getpixel((12, 2)) == (255, 255, 255)  # transparent -> white


def test_rgba_png_is_composited_on_white() -> None:
    img = Image.new("RGBA", (20, 10), (0, 0, 255, 0))  # fully transparent blue
    img.paste((255, 0, 0, 255), (0, 0, 10, 10))
    img.paste((0, 0, 0, 128), (10, 0, 15, 10))  # half-transparent black
    picture = decode_upright(open_image(encode(img, "PNG")), 0)
    assert picture.mode == "RGB"
    assert picture.getpixel((2, 2)) == (255, 0, 0)
    assert picture.getpixel((17, 2)) == (255, 255, 255)
    assert picture.getpixel((12, 2)) == pytest.approx((127, 127, 127), abs=2)


def palette_image(colour: tuple[int, int, int]) -> Image.Image:
    img = Image.new("P", (8, 8), 1)
    img.putpalette([0, 0, 0, *colour])
    return img


def sixteen_bit_rgb_tiff(width: int, height: int, value: int) -> bytes:
    """An uncompressed little-endian 16-bit-per-sample RGB TIFF (Pillow cannot write one)."""
    pixels = struct.pack("<H", value) * (3 * width * height)
    count = 9
    bits_at = 8 + 2 + 12 * count + 4  # BitsPerSample's three SHORTs follow the IFD
    pixels_at = bits_at + 6

    def short(tag: int, number: int) -> bytes:
        return struct.pack("<HHIHH", tag, 3, 1, number, 0)

    def long(tag: int, number: int, kind: int = 4, items: int = 1) -> bytes:
        return struct.pack("<HHII", tag, kind, items, number)

    ifd = struct.pack("<H", count) + b"".join(
        [
            short(256, width),
            short(257, height),
            long(258, bits_at, kind=3, items=3),  # BitsPerSample 16,16,16 (by offset)
            short(259, 1),  # no compression
            short(262, 2),  # RGB
            long(273, pixels_at),  # StripOffsets
            short(277, 3),  # SamplesPerPixel
            short(278, height),  # RowsPerStrip
            long(279, len(pixels)),  # StripByteCounts
        ]
    )
    header = b"II*\x00" + struct.pack("<I", 8)
    return header + ifd + struct.pack("<I", 0) + struct.pack("<HHH", 16, 16, 16) + pixels


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: Image.new("I;16", (8, 8), 40_000), (155, 155, 155)),
        (lambda: Image.new("CMYK", (8, 8), (0, 255, 255, 0)), (255, 0, 0)),
        (lambda: Image.new("LA", (8, 8), (0, 0)), (255, 255, 255)),
        (lambda: palette_image((10, 200, 30)), (10, 200, 30)),
        (lambda: Image.new("F", (8, 8), 0.5), (127, 127, 127)),
    ],
    ids=["I;16", "CMYK", "LA", "P", "F"],
)
def test_tiff_modes_become_sane_rgb(
    make: Callable[[], Image.Image], expected: tuple[int, int, int]
) -> None:
    img = open_image(encode(make(), "TIFF"))
    picture = decode_upright(img, 0)
    assert picture.mode == "RGB"
    assert picture.getpixel((4, 4)) == pytest.approx(expected, abs=2)


def test_sixteen_bit_rgb_tiff() -> None:
    img = open_image(sixteen_bit_rgb_tiff(8, 4, 40_000), "deep.tif")
    assert read_metadata(img).format == "TIFF"
    assert decode_upright(img, 0).getpixel((1, 1)) == pytest.approx((156, 156, 156), abs=2)


@pytest.mark.parametrize("fmt", ["BMP", "WEBP", "PNG", "JPEG"])
def test_other_formats_decode(fmt: str) -> None:
    meta_img = open_image(encode(photo_like((120, 80)), fmt))
    assert read_metadata(meta_img).format == fmt
    assert decode_upright(meta_img, 0).size == (120, 80)


def test_multi_picture_jpeg_is_a_jpeg() -> None:
    # Cameras append previews as MPO; Pillow's JPEG opener then reports format "MPO".
    first, second = Image.new("RGB", (1200, 900), "red"), Image.new("RGB", (1200, 900), "blue")
    img = open_image(encode(first, "MPO", save_all=True, append_images=[second]))
    assert read_metadata(img).format == "JPEG"
    picture = decode_upright(img, 256)
    assert picture.size == (600, 450)  # draft mode works for it too
    assert picture.getpixel((5, 5)) == pytest.approx((255, 0, 0), abs=3)


# ------------------------------------------------------------------ thumbnails


@pytest.mark.parametrize(
    ("size_in", "size", "expected"),
    [
        ((500, 375), 256, (256, 192)),
        ((375, 500), 256, (192, 256)),
        ((4000, 10), 256, (256, 1)),
        ((100, 50), 256, (100, 50)),  # never enlarged
        ((500, 375), 64, (64, 48)),
    ],
)
def test_thumbnail_sizes(size_in: tuple[int, int], size: int, expected: tuple[int, int]) -> None:
    thumbnail = make_thumbnail(photo_like(size_in), size)
    with Image.open(io.BytesIO(thumbnail)) as decoded:
        assert (decoded.format, decoded.size, decoded.mode) == ("JPEG", expected, "RGB")


def test_thumbnail_of_rgba_and_bad_size() -> None:
    assert make_thumbnail(Image.new("RGBA", (300, 300), (0, 0, 0, 0)), 32)[:2] == b"\xff\xd8"
    with pytest.raises(ValueError, match="positive"):
        make_thumbnail(Image.new("RGB", (10, 10)), 0)


def test_thumbnail_is_small_and_faithful() -> None:
    picture = photo_like((800, 600))
    thumbnail = make_thumbnail(picture)
    assert len(thumbnail) < 40_000
    with Image.open(io.BytesIO(thumbnail)) as decoded:
        assert mean_difference(decoded, picture) < 6
