"""Input paths → input files: files, directories (recursive), globs, and ``-`` for stdin.

Also opens an input as a byte stream, transparently gunzipping anything that starts with the
gzip magic bytes whatever its name, and reads whole single-document files within the size limit.
"""

from __future__ import annotations

import glob
import gzip
import io
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from detente.ingest.skips import report_skip
from detente.progress import Reporter

STDIN = "-"
SIDECAR_SUFFIX = ".meta.json"
GZIP_MAGIC = b"\x1f\x8b"
_COMPRESSION_SUFFIXES = (".gz", ".gzip")
_GLOB_CHARS = frozenset("*?[")


class ReadProblem(ValueError):
    """Why an input could not be read (a short phrase used in the one-line warning)."""


@dataclass(frozen=True, slots=True)
class InputFile:
    label: str  # as shown in warnings and origins
    path: Path | None  # None for stdin

    @property
    def logical_name(self) -> str:
        """The name without a compression suffix: ``a.jsonl.gz`` → ``a.jsonl``."""
        name = self.path.name if self.path else "stdin.jsonl"
        lowered = name.lower()
        for suffix in _COMPRESSION_SUFFIXES:
            if lowered.endswith(suffix):
                return name[: -len(suffix)]
        return name

    @property
    def stem(self) -> str:
        """The logical name without its format extension: the default article id."""
        return Path(self.logical_name).stem


def is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def _walk(folder: Path) -> Iterator[Path]:
    """Every visible file under ``folder``, sorted, sidecars left out (they belong to their document)."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if path.is_file() and not is_sidecar(path):
            yield path


def expand_inputs(paths: Sequence[str], reporter: Reporter) -> Iterator[InputFile]:
    """Each input file once, in the order given; a path matching nothing is warned about and skipped."""
    seen: set[Path] = set()
    for given in paths:
        if given == STDIN:
            yield InputFile(STDIN, None)
            continue
        if _GLOB_CHARS & set(given):
            matches = [Path(match) for match in sorted(glob.glob(given, recursive=True))]
            if not matches:
                report_skip(reporter, given, "no files match this pattern")
        else:
            candidate = Path(given)
            if not candidate.exists() and not candidate.is_symlink():
                report_skip(reporter, given, "no such file or directory")
                continue
            matches = [candidate]
        for match in matches:
            files = _walk(match) if match.is_dir() else iter([] if is_sidecar(match) else [match])
            for path in files:
                key = path.resolve()
                if key not in seen:
                    seen.add(key)
                    yield InputFile(str(path), path)


@dataclass(slots=True)
class OpenedInput:
    stream: BinaryIO  # the content, decompressed
    raw: BinaryIO  # the bytes as stored (WARC readers decompress record by record themselves)
    compressed: bool

    def head(self, size: int = 2048) -> bytes:
        """The first decompressed bytes, without moving either stream (for sniffing the format)."""
        try:
            peeked = self.raw.peek(size)  # type: ignore[attr-defined]
            if not self.compressed:
                return peeked[:size]
            return zlib.decompressobj(wbits=31).decompress(peeked, size)
        except (OSError, EOFError, zlib.error):
            return b""  # a broken stream is reported by the reader that consumes it


def open_input(source: InputFile) -> OpenedInput:
    """A byte stream of the input's content (gunzipped if the bytes say gzip). Raises ``ReadProblem``."""
    if source.path is None:
        raw: BinaryIO = sys.stdin.buffer
    else:
        try:
            raw = open(source.path, "rb")  # noqa: SIM115 - closed by the caller through the stream
        except IsADirectoryError as error:
            raise ReadProblem("is a directory") from error
        except OSError as error:
            raise ReadProblem(f"unreadable ({error.strerror or error})") from error
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[arg-type]
    try:
        head = buffered.peek(2)[:2]
    except OSError as error:
        buffered.close()
        raise ReadProblem(f"unreadable ({error.strerror or error})") from error
    if head == GZIP_MAGIC:
        return OpenedInput(gzip.GzipFile(fileobj=buffered, mode="rb"), buffered, compressed=True)  # type: ignore[arg-type]
    return OpenedInput(buffered, buffered, compressed=False)


class CutTolerantStream(io.RawIOBase):
    """A decompressed stream that ends quietly where the compressed data was cut (``truncated``
    then says so), so a reader of records keeps every complete record before the cut."""

    _CHUNK = 8192  # small reads: the data before a cut comes out before the error does

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream
        self.truncated = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.truncated:
            return 0
        try:
            data = self._stream.read1(min(len(buffer), self._CHUNK))  # type: ignore[attr-defined]
        except (EOFError, zlib.error, gzip.BadGzipFile):
            self.truncated = True
            return 0
        buffer[: len(data)] = data
        return len(data)


def read_limited(stream: BinaryIO, max_bytes: int, compressed: bool) -> bytes:
    """The whole content, refusing more than ``max_bytes`` (after decompression) and broken gzip."""
    try:
        data = stream.read(max_bytes + 1)
    except EOFError as error:
        raise ReadProblem("truncated gzip data") from error
    except (gzip.BadGzipFile, zlib.error, OSError) as error:
        kind = "corrupt gzip data" if compressed else "unreadable"
        raise ReadProblem(f"{kind} ({error})") from error
    if len(data) > max_bytes:
        raise ReadProblem(f"larger than the size limit of {max_bytes:,} bytes (see --max-bytes)")
    return data
