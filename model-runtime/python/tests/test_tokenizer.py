"""Tests of inctrl_export.tokenizer on small learned merge lists (and CLIP's file when given)."""

import gzip
import os
import random
import re
import tempfile

import numpy as np
import pytest

from inctrl_export.tokenizer import (
    ANOMALOUS_STATES,
    EOT_TEXT,
    NORMAL_STATES,
    SOT_TEXT,
    SPECIAL_CATEGORIES,
    TEMPLATES,
    ClipTokenizer,
    byte_symbols,
    clean_text,
    learn_merges,
    pre_tokenize,
    prompt_corpus,
    prompt_ensemble,
    read_bpe_file,
    write_bpe_file,
)

CORPUS_CATEGORIES = ["candle", "metal_nut", "pcb1"]


@pytest.fixture(scope="module")
def merges():
    return learn_merges(prompt_corpus(CORPUS_CATEGORIES), 300)


@pytest.fixture()
def tokenizer(tmp_path, merges):
    path = tmp_path / "bpe.txt"
    write_bpe_file(path, merges)
    return ClipTokenizer(path)


def test_vocabulary_layout(tokenizer, merges):
    assert tokenizer.num_merges == len(merges)
    assert tokenizer.vocab_size == 256 + 256 + len(merges) + 2
    assert tokenizer.sot_token == tokenizer.vocab_size - 2
    assert tokenizer.eot_token == tokenizer.vocab_size - 1


def test_byte_symbols_are_printable_and_distinct():
    symbols = byte_symbols()
    assert len(set(symbols)) == 256
    assert all(not s.isspace() and s.isprintable() for s in symbols)
    assert symbols[ord("a")] == "a"
    assert symbols[ord(" ")] == "\u0120"  # CLIP's well-known 'Ġ'


def test_round_trip_through_decode(tokenizer):
    for text in [
        "a photo of the flawless metal nut.",
        "Damaged CANDLE with   defect",
        "unseen words: zebra, quartz & jukebox 42",
        "emoji 😀 and ünïcödé 日本語",
    ]:
        ids = tokenizer.encode(text)
        assert all(0 <= i < tokenizer.sot_token for i in ids)
        assert tokenizer.decode(ids).replace(" ", "") == clean_text(text).replace(" ", "")


def test_learned_merges_compress_the_training_prompts(tokenizer):
    prompt = "a photo of the flawless metal nut for visual inspection."
    ids = tokenizer.encode(prompt)
    assert len(ids) < len(pre_tokenize(prompt)) + 4
    assert len(ids) < len(prompt.replace(" ", "")) // 2


def test_byte_level_fallback_without_merges(tmp_path):
    path = tmp_path / "empty.txt"
    write_bpe_file(path, [])
    tokenizer = ClipTokenizer(path)
    assert tokenizer.vocab_size == 514
    text = "😀"
    ids = tokenizer.encode(text)
    raw = text.encode("utf-8")
    symbols = sorted(byte_symbols())
    expected = [symbols.index(byte_symbols()[b]) for b in raw[:-1]]
    expected.append(256 + symbols.index(byte_symbols()[raw[-1]]))
    assert ids == expected
    assert tokenizer.decode(ids) == text


def test_cleaning_unescapes_twice_collapses_whitespace_and_lowercases():
    assert clean_text("  A&amp;amp;B \t\n C&#39;s&nbsp;D  ") == "a&b c's d"
    assert clean_text("\x1c x \x1f") == "x"  # str.strip removes these, \s does not match them


def test_split_pattern():
    assert pre_tokenize("It's 42 cats!!") == ["it", "'s", "4", "2", "cats", "!!"]
    assert pre_tokenize("<start_of_text>x") == [SOT_TEXT, "x"]


def test_special_token_text_gets_special_ids(tokenizer):
    assert tokenizer.encode(f"{SOT_TEXT} {EOT_TEXT}") == [
        tokenizer.sot_token,
        tokenizer.eot_token,
    ]


def test_tokenize_pads_with_zeros(tokenizer):
    rows = tokenizer.tokenize(["a candle", ""], context_length=77)
    assert rows.dtype == np.int64 and rows.shape == (2, 77)
    ids = tokenizer.encode("a candle")
    assert rows[0, : len(ids) + 2].tolist() == [tokenizer.sot_token, *ids, tokenizer.eot_token]
    assert not rows[0, len(ids) + 2 :].any()
    assert rows[1, :2].tolist() == [tokenizer.sot_token, tokenizer.eot_token]
    assert not rows[1, 2:].any()


def test_tokenize_truncates_keeping_the_end_token_last(tokenizer):
    text = " ".join(["zebra quartz"] * 60)
    ids = tokenizer.encode(text)
    assert len(ids) > 77
    row = tokenizer.tokenize(text, context_length=77)[0]
    assert row.tolist() == [tokenizer.sot_token, *ids[:75], tokenizer.eot_token]
    exact = tokenizer.tokenize(text, context_length=len(ids) + 2)[0]
    assert exact.tolist() == [tokenizer.sot_token, *ids, tokenizer.eot_token]


def test_tokenize_rejects_a_context_without_room_for_start_and_end(tokenizer):
    with pytest.raises(ValueError, match="context_length must be >= 2, got 1"):
        tokenizer.tokenize("x", context_length=1)


def test_prompt_ensemble_of_an_ordinary_category():
    normal, anomalous = prompt_ensemble("metal_nut")
    assert len(normal) == len(NORMAL_STATES) * len(TEMPLATES) == 154
    assert len(anomalous) == len(ANOMALOUS_STATES) * len(TEMPLATES) == 88
    assert normal[0] == "a cropped photo of the metal nut."
    assert normal[len(TEMPLATES)] == "a cropped photo of the flawless metal nut."
    assert normal[-1] == "a photo of the metal nut without damage for anomaly detection."
    assert anomalous[0] == "a cropped photo of the damaged metal nut."
    assert "a photo of a metal nut with defect for visual inspection." in anomalous
    assert all("_" not in p for p in normal + anomalous)


def test_prompt_ensemble_of_special_categories():
    assert len(SPECIAL_CATEGORIES) == 11
    for category in SPECIAL_CATEGORIES:
        assert prompt_ensemble(category) == (
            [f"a photo of {category} for anomaly detection."],
            [f"a photo without {category} for anomaly detection."],
        )
    # compared after the underscore rule and case-sensitively, as in the reference
    assert len(prompt_ensemble("Dog")[0]) == 154
    assert len(prompt_ensemble("dog_")[0]) == 154


def test_prompt_corpus_concatenates_in_order():
    corpus = prompt_corpus(["candle", "dog"])
    assert len(corpus) == 154 + 88 + 2
    assert corpus[154] == "a cropped photo of the damaged candle."
    assert corpus[-2:] == [
        "a photo of dog for anomaly detection.",
        "a photo without dog for anomaly detection.",
    ]


def test_learn_merges_is_deterministic_and_order_independent(merges):
    corpus = prompt_corpus(CORPUS_CATEGORIES)
    shuffled = list(corpus)
    random.Random(7).shuffle(shuffled)
    assert learn_merges(shuffled, 300) == merges
    assert learn_merges(corpus, 50) == merges[:50]


def test_learn_merges_picks_the_most_frequent_pair_then_the_smallest():
    merges = learn_merges(["ab ab ab cd cd xy"], 3)
    assert merges[0] == ("a", "b</w>")
    assert merges[1] == ("c", "d</w>")
    assert merges[2] == ("x", "y</w>")
    assert learn_merges(["ab ab ab cd cd xy"], 100) == merges  # stops when nothing is left
    assert learn_merges(["dc ba"], 1) == [("b", "a</w>")]  # a tie goes to the smaller pair


def test_write_and_read_bpe_file_round_trip(tmp_path, merges):
    plain, packed, packed_again = tmp_path / "m.txt", tmp_path / "m.txt.gz", tmp_path / "n.txt.gz"
    write_bpe_file(plain, merges)
    write_bpe_file(packed, merges)
    write_bpe_file(packed_again, merges)
    assert plain.read_text(encoding="utf-8").splitlines()[0] == "#version: 0.2 inctrl-tiny"
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    assert packed.read_bytes() == packed_again.read_bytes()
    assert read_bpe_file(plain) == merges == read_bpe_file(packed)
    assert read_bpe_file(plain, 10) == merges[:10]


def test_bad_bpe_files_are_reported(tmp_path):
    with pytest.raises(FileNotFoundError):
        ClipTokenizer(tmp_path / "missing.txt")
    broken = tmp_path / "broken.txt"
    broken.write_text("#version\na b\nc d e\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 3: expected two symbols .* found 'c d e'"):
        ClipTokenizer(broken)
    assert ClipTokenizer(broken, num_merges=1).num_merges == 1
    with pytest.raises(ValueError, match="expected at least 5 merge lines, found 2"):
        ClipTokenizer(broken, num_merges=5)
    not_gzip = tmp_path / "x.txt.gz"
    not_gzip.write_text("#version\na b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read it as UTF-8 text"):
        ClipTokenizer(not_gzip)


CLIP_BPE_PATH = os.environ.get("CLIP_BPE_PATH")


@pytest.mark.skipif(
    not CLIP_BPE_PATH, reason="CLIP_BPE_PATH not set: CLIP's bpe_simple_vocab_16e6.txt.gz absent"
)
def test_known_ids_with_clips_own_merges():
    tokenizer = ClipTokenizer(CLIP_BPE_PATH)
    assert tokenizer.num_merges == 48894
    assert (tokenizer.vocab_size, tokenizer.sot_token, tokenizer.eot_token) == (
        49408,
        49406,
        49407,
    )
    # ids given by the reference implementation's open_clip SimpleTokenizer
    assert tokenizer.encode("a photo of a cat.") == [320, 1125, 539, 320, 2368, 269]
    assert tokenizer.encode("a photo of the flawless metal nut for visual inspection.") == [
        320, 1125, 539, 518, 15531, 4044, 6491, 556, 7195, 15142, 269,
    ]  # fmt: skip
    assert tokenizer.encode("Hello, World! 123") == [3306, 267, 1002, 256, 272, 273, 274]
    assert tokenizer.encode("café 😀") == [15304, 7334]
    assert tokenizer.encode("damaged pcb1") == [13568, 26235, 272]


# --- golden data for the Java tokenizer -------------------------------------------------------

JAVA_RESOURCES = os.path.join(
    os.path.dirname(__file__), "..", "..", "src", "test", "resources", "tokenizer"
)
GOLDEN_MERGES_FILE = "tiny_merges.txt"
GOLDEN_FILE = "golden.json"
GOLDEN_CATEGORIES = ["candle", "metal_nut", "pcb1", "pipe_fryum"]
GOLDEN_NUM_MERGES = 100
REGENERATE_ENV = "INCTRL_REGENERATE_TOKENIZER_GOLDEN"

GOLDEN_TEXTS = [
    "",
    "   ",
    "a photo of the flawless metal nut for visual inspection.",
    "A Cropped Photo Of The Damaged CANDLE.",
    "metal_nut",
    "pipe_fryum with_many__underscores_",
    "  multiple   spaces\tand\nnewlines\r\n ",
    "don't you're we've I'm they'll he'd it's IT'S",
    "'s 's's ''s it'\u017f",
    "123 4567 89.0 1e10 3,141 \u0663\u0664 \u00bd \u2167",
    "Hello, World!!! (parens) [brackets] {braces} ... ?!",
    "https://example.com/a?b=c&d=e user@example.com C++ 50% $9.99",
    "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e na\u00efve fa\u00e7ade Stra\u00dfe",
    "\u0141\u00d3D\u0179 \u0130stanbul \u212a\u212b",
    "\u03a3\u039f\u03a6\u0399\u0391 \u039f\u0394\u039f\u03a3 \u03a3. \u03c3\u03a3\u03a3",
    "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440",
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8 \u4e2d\u6587 \ud55c\uad6d\uc5b4",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u05e2\u05d1\u05e8\u05d9\u05ea "
    "\u0939\u093f\u0928\u094d\u0926\u0940",
    "emoji \U0001f600\U0001f389\U0001f44d\U0001f3fd and \U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\u2713 \u2717 \u2192 \u00a9\u00ae\u2122 \U0001d54f",
    "a\u0301e\u0301 \u0345 x\u0345y !\u0345!",
    "\u01c5 \u01c8 \ufb01 \uff26\uff35\uff2c\uff2c",
    "&amp; &lt;tag&gt; &quot;q&quot; &#39;s &#65;&#x42;&#X43;",
    "&amp;amp; &amp;lt;b&amp;gt; &AMP &ampx &notit; &notin; &NotEqualTilde;",
    "&#0; &#128; &#150; &#x110000; &#xD800; &#11; &#000065; &#x1F600; &#99999999999;",
    "&copy &nbsp;x&nbsp; &eacute;t&eacute; &unknownentity; & ; &#; &#x;",
    "<start_of_text> hi <end_of_text> <|startoftext|> &lt;end_of_text&gt;",
    "\u00a0nbsp\u00a0 \u2003em\u3000ideographic\u2028line",
    "\x1c\x1dfile sep\x1e\x1f \x0bvt\x0cff",
    "zero\u200bwidth soft\u00adhyphen \ufeffbom \ue000pua \x7f\x80\x9f",
    "hyphen-ated-word a.b.c path/to/file.png snake_case CamelCase",
    "ALLCAPS TRANSISTOR toothbrush hazelnut zipper screw",
    "x1y2z3 pcb1 pcb2 macaroni1",
    "word" * 30,
    " ".join(["anomaly"] * 90),
    "the quick brown fox jumps over the lazy dog " * 8,
    "unseen: zebra quartz jukebox vexing",
    "\U0010fffd \U000e0001",
    "\u00ff \u00fe \u00f0 \u0100 \u0143",
    "\u0130\u0130 I\u0307",
]

_RANDOM_POOL = (
    list("abcdefghijklmnopqrstuvwxyzABCDEFXYZ0123456789")
    + list(" \t\n'.,!?&;#_-/()")
    + ["'s", "'LL", "&amp;", "&lt;", "&#39;", "&#x41;", "&nbsp;", "&eacute", "<end_of_text>"]
    + list("\u00a0\u3000\u2009\x1c\u00e9\u00df\u00c6\u00f8\u03a3\u03c3\u03c2\u0391\u0416\u0436")
    + list("\u4e2d\u6587\u3042\u30a2\ud55c\u0627\u05d0\u0915\u0301\u0345\u017f\u212a\u0130\u2163")
    + ["\U0001f600", "\U0001f44d\U0001f3fd", "\u2764\ufe0f", "\U0001d54f", "\u00bd", "\u0663"]
)


def _random_texts(count: int) -> list[str]:
    rng = random.Random(20240601)
    return [
        "".join(rng.choice(_RANDOM_POOL) for _ in range(rng.randrange(1, 24)))
        for _ in range(count)
    ]


def _golden_data() -> tuple[str, dict]:
    import json

    merges = learn_merges(prompt_corpus(GOLDEN_CATEGORIES), GOLDEN_NUM_MERGES)
    with tempfile.TemporaryDirectory() as tmp:
        merges_path = os.path.join(tmp, GOLDEN_MERGES_FILE)
        write_bpe_file(merges_path, merges)
        merges_text = open(merges_path, encoding="utf-8").read()
        tokenizer = ClipTokenizer(merges_path)
    texts = GOLDEN_TEXTS + _random_texts(200)
    golden = {
        "comment": "Generated by model-runtime/python/tests/test_tokenizer.py "
        f"({REGENERATE_ENV}=1 rewrites it); the Java tokenizer must give exactly these ids.",
        "bpe_file": GOLDEN_MERGES_FILE,
        "num_merges": tokenizer.num_merges,
        "vocab_size": tokenizer.vocab_size,
        "sot_token": tokenizer.sot_token,
        "eot_token": tokenizer.eot_token,
        "encode": [
            {"text": t, "cleaned": clean_text(t), "ids": tokenizer.encode(t)} for t in texts
        ],
        "tokenize": [
            {"text": t, "context_length": n, "row": tokenizer.tokenize(t, n)[0].tolist()}
            for t in (GOLDEN_TEXTS[2], GOLDEN_TEXTS[34], GOLDEN_TEXTS[35], "")
            for n in (77, 8)
        ],
        "prompts": {
            c: dict(zip(("normal", "anomalous"), prompt_ensemble(c)))
            for c in ("metal_nut", "dog", "Dog", "pipe_fryum", "animal")
        },
    }
    return merges_text, golden


def _one_line(match: "re.Match[str]") -> str:
    numbers = [n.strip() for n in match.group(0)[1:-1].split(",")]
    return "[" + ", ".join(n for n in numbers if n) + "]"


def test_java_golden_data_is_current():
    import json

    merges_text, golden = _golden_data()
    encoded = json.dumps(golden, indent=1, ensure_ascii=True) + "\n"
    # one line per id list keeps the file short and its diffs readable
    encoded = re.sub(r"\[[\d,\s]+\]", _one_line, encoded)
    merges_path = os.path.join(JAVA_RESOURCES, GOLDEN_MERGES_FILE)
    golden_path = os.path.join(JAVA_RESOURCES, GOLDEN_FILE)
    if os.environ.get(REGENERATE_ENV) == "1":
        os.makedirs(JAVA_RESOURCES, exist_ok=True)
        with open(merges_path, "w", encoding="utf-8", newline="\n") as f:
            f.write(merges_text)
        with open(golden_path, "w", encoding="ascii", newline="\n") as f:
            f.write(encoded)
    assert len(golden["encode"]) >= 240
    assert max(len(case["ids"]) for case in golden["encode"]) > 77
    stale = f"stale Java golden data: rerun with {REGENERATE_ENV}=1 and review the diff"
    assert open(merges_path, encoding="utf-8").read() == merges_text, stale
    assert open(golden_path, encoding="ascii").read() == encoded, stale
