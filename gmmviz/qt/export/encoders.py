"""Encoders of animations, Qt-free and for any thread: a streaming GIF writer
(Pillow), an MP4 writer (imageio-ffmpeg, optional), the pixel × frame budget,
and :func:`write_animation`, which writes through a temporary file."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from gmmviz.core.errors import GmmvizError
from gmmviz.core.io.atomic import replacing

MP4_MISSING = ("MP4 export needs the optional package imageio-ffmpeg, which is not installed: "
               "from the gmmviz folder, pip install \".[video]\" adds it (GIF export works without it).")

class ExportError(GmmvizError):
    """An animation cannot be made (missing encoder, bad range); the message says why."""


#: Pixels times frames one animation may have: 500 million is 1920 × 1080 for
#: 240 half-steps, minutes of encoding already; beyond it an export would run
#: for a long time into a file no slide can play.
MAX_PIXEL_FRAMES = 500_000_000


def check_budget(size: tuple[int, int], frames: int) -> None:
    """Raise :class:`ExportError` when ``frames`` frames of ``size`` pixels exceed :data:`MAX_PIXEL_FRAMES`."""
    w, h = size
    if w * h * frames > MAX_PIXEL_FRAMES:
        most = max(1, MAX_PIXEL_FRAMES // (w * h))
        raise ExportError(f"{frames} frames of {w} × {h} pixels are {w * h * frames / 1e6:,.0f} million pixels, "
                          f"more than an animation may have ({MAX_PIXEL_FRAMES / 1e6:,.0f} million): "
                          f"make it smaller or export at most {most} half-steps")


def mp4_available() -> bool:
    """Whether imageio-ffmpeg (which brings its own ffmpeg) can be imported."""
    return importlib.util.find_spec("imageio_ffmpeg") is not None


# -- encoders (any thread) --------------------------------------------------------
def encode_gif(path: str | Path, frames: Iterable[np.ndarray], fps: float) -> int:
    """Write RGB frames as a looping GIF, streaming: each frame is quantised
    (its own 256-colour table), encoded and written before the next is read,
    so memory holds one frame whatever the length (Pillow's ``save_all``
    keeps every frame until the end).  Returns the number of frames."""
    from PIL import GifImagePlugin, Image

    duration = max(20, round(1000 / fps))
    count = 0
    with open(path, "wb") as f:
        for rgb in frames:
            image = Image.fromarray(rgb, "RGB").quantize(256, method=Image.Quantize.FASTOCTREE,
                                                         dither=Image.Dither.NONE)
            if count == 0:
                header, _ = GifImagePlugin.getheader(image, info={"loop": 0, "duration": duration})
                f.write(b"".join(header))
            f.writelines(GifImagePlugin.getdata(image, duration=duration, include_color_table=True))
            count += 1
        if count == 0:
            raise ExportError("no frames to write")
        f.write(b";")  # the GIF trailer
    return count


def encode_mp4(path: str | Path, frames: Iterable[np.ndarray], fps: float) -> int:
    """Write RGB frames (even width and height) as an H.264 MP4; returns the number of frames."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ExportError(MP4_MISSING) from None
    writer, count = None, 0
    try:
        for rgb in frames:
            if writer is None:
                h, w = rgb.shape[:2]
                writer = imageio_ffmpeg.write_frames(str(path), (w, h), fps=fps, codec="libx264",
                                                     pix_fmt_in="rgb24", pix_fmt_out="yuv420p", quality=8,
                                                     macro_block_size=2, ffmpeg_log_level="error")
                writer.send(None)
            writer.send(np.ascontiguousarray(rgb).tobytes())
            count += 1
    finally:
        if writer is not None:
            writer.close()
    if count == 0:
        raise ExportError("no frames to write")
    return count


ENCODERS = {"gif": encode_gif, "mp4": encode_mp4}


def write_animation(spec, frames: Iterable[np.ndarray], *,
                    before_replace: Callable[[], None] | None = None) -> int:
    """Encode RGB ``frames`` into ``spec.path`` (GIF or MP4 by its suffix, at ``spec.fps``).

    The file is written under a temporary name and renamed when complete:
    if encoding fails, or ``before_replace`` (called just before the
    rename) raises, e.g. to cancel, the exception propagates and nothing
    is left behind; an existing file at ``spec.path`` is untouched.

    Returns
    -------
    int
        The number of frames written.
    """
    path = Path(spec.path)
    with replacing(path, suffix=path.suffix) as tmp:
        count = ENCODERS[spec.format](tmp, frames, spec.fps)
        if before_replace is not None:
            before_replace()
    return count
