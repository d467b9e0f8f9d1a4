"""CLIP's byte-level BPE tokenizer, the InCTRL prompt ensemble, and a tiny BPE trainer.

The tokenizer gives the same token ids as the reference implementation's open_clip
``SimpleTokenizer`` (mala-lab/InCTRL) with one deliberate difference: the reference first runs
``ftfy.fix_text`` on every text, which this module does not. ftfy is a large heuristic library
(mojibake repair, curly quotes to straight quotes, ligatures, full-width forms, NFC
normalization, control characters) that the Java runtime cannot reproduce, and the exporter and
the runtime must agree token for token. For plain text (the category names and prompts this
project tokenizes) ftfy changes nothing; texts with curly quotes, ligatures, full-width
characters, non-NFC accents or mojibake may get other ids than in the reference.

Java 17 knows Unicode 13, Python 3.11 and the ``regex`` module newer versions: characters
assigned since then (e.g. CJK extension H) may split or lower-case differently in Java.

The Java twin is ``io.inctrlstream.model.text.ClipTokenizer``; both follow the same steps:

1. clean: HTML-unescape twice (Python's ``html.unescape`` rules), strip, collapse each run of
   white space to one space, strip again, lower-case;
2. split with CLIP's pattern (the two special tokens, English contractions, runs of letters,
   single digits, runs of other non-space characters);
3. map each UTF-8 byte of a piece to one printable character (CLIP's byte-to-unicode table);
4. apply the BPE merges by rank; the last symbol of a piece carries ``</w>``;
5. look the symbols up in the vocabulary (256 byte symbols, the same with ``</w>``, one entry
   per merge, then the start and end tokens).
"""

from __future__ import annotations

import gzip
import html
import io
import os
from typing import Iterable, Sequence

import numpy as np
import regex

__all__ = [
    "ClipTokenizer",
    "DEFAULT_MAX_MERGES",
    "SOT_TEXT",
    "EOT_TEXT",
    "NORMAL_STATES",
    "ANOMALOUS_STATES",
    "TEMPLATES",
    "SPECIAL_CATEGORIES",
    "SPECIAL_NORMAL",
    "SPECIAL_ANOMALOUS",
    "byte_symbols",
    "clean_text",
    "pre_tokenize",
    "read_bpe_file",
    "write_bpe_file",
    "learn_merges",
    "prompt_ensemble",
    "prompt_corpus",
]

#: Merge lines CLIP uses from its file: vocabulary 49152 minus 256 byte symbols, minus 2 specials.
DEFAULT_MAX_MERGES = 49152 - 256 - 2

#: The special tokens, spelled as in the reference's open_clip (a text that contains them
#: literally gets their ids, as in the reference).
SOT_TEXT = "<start_of_text>"
EOT_TEXT = "<end_of_text>"

#: Header line written by write_bpe_file when none is given.
DEFAULT_HEADER = "#version: 0.2 inctrl-tiny"

# CLIP's split pattern. The reference compiles it with IGNORECASE; the text is lower-cased
# before, so the flag only matters for a few characters whose case mapping is odd. \s here is
# the `regex` module's Unicode White_Space set (unlike str.isspace it excludes \x1c-\x1f).
_SPLIT_PATTERN = regex.compile(
    "<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
    regex.IGNORECASE,
)
_WHITESPACE_RUN = regex.compile(r"\s+")

_END_OF_WORD = "</w>"
_CACHE_LIMIT = 100_000


def byte_symbols() -> list[str]:
    """The printable character CLIP assigns to each byte value 0..255 (index = byte).

    Bytes that are printable Latin-1 characters (``!``..``~``, ``¡``..``¬``, ``®``..``ÿ``) stand
    for themselves; the other 68 bytes get the characters U+0100.. in byte order, so that no
    symbol is white space or a control character.
    """
    symbols = []
    shifted = 0
    for byte in range(256):
        printable = 0x21 <= byte <= 0x7E or 0xA1 <= byte <= 0xAC or 0xAE <= byte <= 0xFF
        if printable:
            symbols.append(chr(byte))
        else:
            symbols.append(chr(256 + shifted))
            shifted += 1
    return symbols


_BYTE_SYMBOLS = byte_symbols()
_BYTE_VALUES = {symbol: byte for byte, symbol in enumerate(_BYTE_SYMBOLS)}
# Vocabulary order of the byte symbols: by character, which puts the printable bytes first
# (they stand for themselves) and then U+0100.. (the others), as CLIP's table lists them.
_BYTE_SYMBOLS_SORTED = sorted(_BYTE_SYMBOLS)


def clean_text(text: str) -> str:
    """Unescape HTML twice, strip, collapse white space, strip, lower-case (no ftfy)."""
    text = html.unescape(html.unescape(text)).strip()
    text = _WHITESPACE_RUN.sub(" ", text).strip()
    return text.lower()


def pre_tokenize(text: str) -> list[str]:
    """Clean ``text`` and split it into byte-encoded pieces (before BPE)."""
    return [
        "".join(_BYTE_SYMBOLS[b] for b in piece.encode("utf-8"))
        for piece in _SPLIT_PATTERN.findall(clean_text(text))
    ]


def _open_text(path: str | os.PathLike) -> str:
    with open(path, "rb") as f:
        raw = f.read()
    if str(path).endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def read_bpe_file(
    path: str | os.PathLike, num_merges: int | None = None
) -> list[tuple[str, str]]:
    """Reads the first ``num_merges`` merges of a CLIP merges file (header line skipped).

    ``num_merges=None`` takes all merges, at most DEFAULT_MAX_MERGES (what CLIP uses of its own
    file). Raises FileNotFoundError for a missing file and ValueError for a malformed one.
    """
    try:
        text = _open_text(path)
    except (OSError, EOFError, UnicodeDecodeError) as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise ValueError(f"BPE file {path}: cannot read it as UTF-8 text ({e})") from e
    lines = text.split("\n")
    if not lines or lines == [""]:
        raise ValueError(f"BPE file {path}: expected a header line, found an empty file")
    body = [line.rstrip("\r") for line in lines[1:]]
    while body and body[-1] == "":
        body.pop()
    if num_merges is None:
        num_merges = min(len(body), DEFAULT_MAX_MERGES)
    if num_merges < 0:
        raise ValueError(f"num_merges must be >= 0, got {num_merges}")
    if num_merges > len(body):
        raise ValueError(
            f"BPE file {path}: expected at least {num_merges} merge lines, found {len(body)}"
        )
    merges = []
    for index in range(num_merges):
        parts = body[index].split()
        if len(parts) != 2:
            raise ValueError(
                f"BPE file {path}, line {index + 2}: expected two symbols separated by a "
                f"space, found {body[index]!r}"
            )
        merges.append((parts[0], parts[1]))
    return merges


def write_bpe_file(
    path: str | os.PathLike, merges: Iterable[tuple[str, str]], header: str = DEFAULT_HEADER
) -> None:
    """Writes merges in CLIP's format; a ``.gz`` path is gzip-compressed reproducibly (mtime 0)."""
    if "\n" in header:
        raise ValueError("header must be one line")
    lines = [header]
    for first, second in merges:
        for symbol in (first, second):
            if not symbol or any(c.isspace() for c in symbol):
                raise ValueError(f"merge symbol must be non-empty without spaces: {symbol!r}")
        lines.append(f"{first} {second}")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if str(path).endswith(".gz"):
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as gz:
            gz.write(data)
        data = buffer.getvalue()
    with open(path, "wb") as f:
        f.write(data)


def _initial_symbols(piece: str) -> list[str]:
    return list(piece[:-1]) + [piece[-1] + _END_OF_WORD]


def _merge_pair(symbols: list[str], first: str, second: str) -> list[str]:
    """Replaces every non-overlapping occurrence of (first, second), left to right."""
    merged = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == first and symbols[i + 1] == second:
            merged.append(first + second)
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return merged


class ClipTokenizer:
    """CLIP's byte-level BPE tokenizer over a merges file (see the module docstring)."""

    def __init__(self, bpe_path: str | os.PathLike, num_merges: int | None = None):
        merges = read_bpe_file(bpe_path, num_merges)
        vocab = list(_BYTE_SYMBOLS_SORTED)
        vocab += [s + _END_OF_WORD for s in _BYTE_SYMBOLS_SORTED]
        vocab += [first + second for first, second in merges]
        vocab += [SOT_TEXT, EOT_TEXT]
        # Later duplicates win, as in a dict built from the list (CLIP's file has none).
        self._encoder = {symbol: index for index, symbol in enumerate(vocab)}
        self._decoder = {index: symbol for symbol, index in self._encoder.items()}
        self._ranks = {pair: rank for rank, pair in enumerate(merges)}
        self._vocab_size = len(vocab)
        self._num_merges = len(merges)
        self._cache: dict[str, tuple[int, ...]] = {}

    @property
    def vocab_size(self) -> int:
        """Number of vocabulary entries (one more than the largest id, the end token)."""
        return self._vocab_size

    @property
    def num_merges(self) -> int:
        return self._num_merges

    @property
    def sot_token(self) -> int:
        return self._encoder[SOT_TEXT]

    @property
    def eot_token(self) -> int:
        return self._encoder[EOT_TEXT]

    def _bpe(self, piece: str) -> tuple[int, ...]:
        cached = self._cache.get(piece)
        if cached is not None:
            return cached
        if piece in (SOT_TEXT, EOT_TEXT):
            ids = (self._encoder[piece],)
        else:
            symbols = _initial_symbols(piece)
            ranks = self._ranks
            while len(symbols) > 1:
                best = None
                best_rank = None
                for pair in zip(symbols, symbols[1:]):
                    rank = ranks.get(pair)
                    if rank is not None and (best_rank is None or rank < best_rank):
                        best, best_rank = pair, rank
                if best is None:
                    break
                symbols = _merge_pair(symbols, best[0], best[1])
            ids = tuple(self._encoder[s] for s in symbols)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[piece] = ids
        return ids

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text`` without start/end tokens."""
        ids: list[int] = []
        for piece in pre_tokenize(text):
            ids.extend(self._bpe(piece))
        return ids

    def decode(self, ids: Iterable[int]) -> str:
        """Best-effort inverse of encode (for debugging): each word end becomes a space."""
        data = bytearray()
        for token in ids:
            symbol = self._decoder[int(token)]
            if symbol in (SOT_TEXT, EOT_TEXT):
                continue
            word_end = symbol.endswith(_END_OF_WORD)
            core = symbol[: -len(_END_OF_WORD)] if word_end else symbol
            data.extend(_BYTE_VALUES[c] for c in core)
            if word_end:
                data.extend(b" ")
        return data.decode("utf-8", errors="replace").strip()

    def tokenize(self, texts: str | Sequence[str], context_length: int = 77) -> np.ndarray:
        """int64 [len(texts), context_length]: start, tokens, end, zero padding.

        A text too long keeps its first context_length - 2 tokens after the start token and
        ends with the end token (open_clip's truncation).
        """
        if context_length < 2:
            raise ValueError(f"context_length must be >= 2, got {context_length}")
        if isinstance(texts, str):
            texts = [texts]
        result = np.zeros((len(texts), context_length), dtype=np.int64)
        for row, text in enumerate(texts):
            tokens = [self.sot_token] + self.encode(text) + [self.eot_token]
            if len(tokens) > context_length:
                tokens = tokens[:context_length]
                tokens[-1] = self.eot_token
            result[row, : len(tokens)] = tokens
        return result


def learn_merges(corpus: Iterable[str], num_merges: int) -> list[tuple[str, str]]:
    """Learns up to ``num_merges`` BPE merges on ``corpus``, deterministically.

    Standard BPE over the tokenizer's own pre-tokenization: count each piece, then repeatedly
    merge the adjacent symbol pair with the highest count (weighted by piece frequency); ties go
    to the lexicographically smallest pair (by code point). Stops early once every piece is a
    single symbol. The result does not depend on the order of ``corpus``.
    """
    if num_merges < 0:
        raise ValueError(f"num_merges must be >= 0, got {num_merges}")
    counts: dict[str, int] = {}
    for text in corpus:
        for piece in pre_tokenize(text):
            if piece in (SOT_TEXT, EOT_TEXT):
                continue
            counts[piece] = counts.get(piece, 0) + 1
    words = [(_initial_symbols(piece), count) for piece, count in sorted(counts.items())]
    merges: list[tuple[str, str]] = []
    while len(merges) < num_merges:
        pair_counts: dict[tuple[str, str], int] = {}
        for symbols, count in words:
            for pair in zip(symbols, symbols[1:]):
                pair_counts[pair] = pair_counts.get(pair, 0) + count
        if not pair_counts:
            break
        best = min(pair_counts.items(), key=lambda item: (-item[1], item[0]))[0]
        merges.append(best)
        words = [
            (_merge_pair(symbols, best[0], best[1]) if len(symbols) > 1 else symbols, count)
            for symbols, count in words
        ]
    return merges


# The reference's prompt ensemble (open_clip/model.py of mala-lab/InCTRL).
NORMAL_STATES = (
    "{}",
    "flawless {}",
    "perfect {}",
    "unblemished {}",
    "{} without flaw",
    "{} without defect",
    "{} without damage",
)
ANOMALOUS_STATES = ("damaged {}", "{} with flaw", "{} with defect", "{} with damage")
TEMPLATES = (
    "a cropped photo of the {}.",
    "a cropped photo of a {}.",
    "a close-up photo of a {}.",
    "a close-up photo of the {}.",
    "a bright photo of a {}.",
    "a bright photo of the {}.",
    "a dark photo of a {}.",
    "a dark photo of the {}.",
    "a jpeg corrupted photo of a {}.",
    "a jpeg corrupted photo of the {}.",
    "a blurry photo of the {}.",
    "a blurry photo of a {}.",
    "a photo of the {}.",
    "a photo of a {}.",
    "a photo of a small {}.",
    "a photo of the small {}.",
    "a photo of a large {}.",
    "a photo of the large {}.",
    "a photo of a {} for visual inspection.",
    "a photo of the {} for visual inspection.",
    "a photo of a {} for anomaly detection.",
    "a photo of the {} for anomaly detection.",
)
#: The CIFAR-10 class names plus "animal": one prompt each instead of the ensemble.
SPECIAL_CATEGORIES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
    "animal",
)
SPECIAL_NORMAL = "a photo of {} for anomaly detection."
SPECIAL_ANOMALOUS = "a photo without {} for anomaly detection."


def _fill(pattern: str, value: str) -> str:
    if pattern.count("{}") != 1:
        raise ValueError(f"prompt pattern must contain exactly one '{{}}': {pattern!r}")
    return pattern.replace("{}", value)


def prompt_ensemble(
    category: str,
    *,
    normal_states: Sequence[str] = NORMAL_STATES,
    anomalous_states: Sequence[str] = ANOMALOUS_STATES,
    templates: Sequence[str] = TEMPLATES,
    special_categories: Sequence[str] = SPECIAL_CATEGORIES,
    special_normal: str = SPECIAL_NORMAL,
    special_anomalous: str = SPECIAL_ANOMALOUS,
) -> tuple[list[str], list[str]]:
    """(normal prompts, anomalous prompts) for a category, by the reference's rules.

    Underscores become spaces; a special category (compared after that, case-sensitively) gets
    one prompt of each kind; any other gets every template applied to every state, states in
    the outer loop (7 x 22 = 154 normal, 4 x 22 = 88 anomalous with the defaults).
    """
    if not isinstance(category, str):
        raise TypeError(f"category must be a str, got {type(category).__name__}")
    name = category.replace("_", " ")
    if name in special_categories:
        return [_fill(special_normal, name)], [_fill(special_anomalous, name)]
    normal = [_fill(t, _fill(s, name)) for s in normal_states for t in templates]
    anomalous = [_fill(t, _fill(s, name)) for s in anomalous_states for t in templates]
    return normal, anomalous


def prompt_corpus(categories: Iterable[str], **ensemble_options) -> list[str]:
    """All prompts (normal then anomalous) of each category, in order."""
    corpus: list[str] = []
    for category in categories:
        normal, anomalous = prompt_ensemble(category, **ensemble_options)
        corpus.extend(normal)
        corpus.extend(anomalous)
    return corpus
