"""Line labels from gold texts: which lines of a page's scraped text are body, which are noise.

Each non-blank line of ``page["text"]`` is aligned to the page's gold text at the token level
(``benchmarks.scoring.tokens``: lower-cased ``\\w+`` runs, one token per CJK character) and gets
the share of its tokens that match the gold, kept as ``match``: ``body`` when at least
``BODY_MIN`` (half) of its tokens match, ``noise`` below ``NOISE_MAX``, ``ambiguous`` in between.

How tokens are matched (:func:`line_matches`, method and measurements in ``docs/labels.md``):

1. :func:`align` matches the whole text to the gold in order and one to one, so a headline
   repeated in a sidebar cannot match the gold's title a second time.  It is a patience-style
   diff: tokens unique in both sides anchor it, their longest increasing subsequence keeps the
   in-order ones, anchors grow into maximal common blocks, gaps are aligned the same way and
   ``difflib`` only handles small gaps without unique tokens.
2. :func:`supported` drops stretches shorter than ``MIN_RUN`` tokens matched on their own
   (chance: "Market Cap" in a price box against the same words deep in the gold).
3. :func:`snap_to_lines` moves a stretch that covers lines only in part onto an equal copy
   nearby that covers whole lines (the section heading, not the summary box entry).
4. Lines still below ``BODY_MIN`` are aligned again to the gold nothing has used
   (content the page shows in another order than the gold), then looked up whole in it.

trafilatura_eval has snippets only: see :func:`snippet_labels`.

Run ``python -m benchmarks.labels`` to label every set into ``benchmarks/.cache/labels/``.
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import gzip
import hashlib
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from benchmarks.data import PERMISSIVE_SETS, SETS, cache_dir, scraped_pages
from benchmarks.scoring import normalise, prf, snippet_hits, tokens

BODY, NOISE, AMBIGUOUS = "body", "noise", "ambiguous"
BODY_MIN = 0.5
"""A line is body when at least this share of its tokens matches the gold."""
NOISE_MAX = 0.2
"""A line is noise when less than this share matches; ambiguous in between."""
EXACT_MIN_TOKENS = 2
"""Shortest line (in tokens) the out-of-order exact look-up may place."""
PIECE_MIN_TOKENS = 3
"""Shortest line (in tokens) that counts as a piece of a snippet the page breaks up."""
LONG_LINE = 20
"""Lines this long (in tokens) are not made noise by a one- or two-word ``without`` snippet."""
REPASSES = 2
"""How many times leftover lines are aligned again to the gold left unused."""
SNAP_MAX = 40
"""Blocks up to this many tokens may move onto a copy that covers whole lines."""
MIN_RUN = 4
"""Matched stretches shorter than this (in tokens, with their near neighbours) are chance."""
CHAIN_GAP = 2
"""Blocks at most this many tokens apart in the text or the gold belong to the same run."""
MAX_COPIES = 8
"""In a large gap without tokens unique to both sides, tokens unique to the gold and found up
to this many times in the text anchor the alignment."""
_SMALL_GAP = 250_000
"""Gaps up to this many token pairs without unique tokens go to ``difflib``."""
SNIPPET_SETS = frozenset({"trafilatura_eval"})
"""Sets with snippets instead of a full gold text."""


@dataclass(frozen=True)
class LineLabel:
    """The label of one non-blank line: its index among all lines, label, matched share, tokens."""

    i: int
    label: str | None
    match: float | None
    n: int

    def as_dict(self) -> dict[str, Any]:
        """The record form written to the labels file."""
        m = None if self.match is None else round(self.match, 3)
        return {"i": self.i, "label": self.label, "match": m, "n": self.n}


# ---------------------------------------------------------------------------------------------
# Alignment


def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of ``(i, j)`` pairs (sorted by i) whose j strictly increase.

    Among equally long ones it keeps the earliest pairs: a later copy of a stretch does not
    replace the first one.
    """
    tails: list[int] = []  # tails[k]: smallest j ending an increasing run of length k+1
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        elif tails[pos] > j:
            tails[pos] = j
            tail_idx[pos] = k
        else:
            continue
        prev[k] = tail_idx[pos - 1] if pos else -1
    out: list[tuple[int, int]] = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    return out[::-1]


def _anchors(
    a: Sequence[int], b: Sequence[int], alo: int, ahi: int, blo: int, bhi: int, max_a: int = 1
) -> list[tuple[int, int]]:
    """In-order pairs of positions of tokens found once in ``b``'s range and 1..``max_a`` times
    in ``a``'s."""
    cb = Counter(b[blo:bhi])
    pos_b = {b[j]: j for j in range(blo, bhi) if cb[b[j]] == 1}
    if not pos_b:
        return []
    ca = Counter(x for x in a[alo:ahi] if x in pos_b)
    pairs = [(i, pos_b[a[i]]) for i in range(alo, ahi) if 0 < ca.get(a[i], 0) <= max_a]
    return _lis(pairs)


def _blocks_from_anchors(
    a: Sequence[int], b: Sequence[int], anchors: list[tuple[int, int]], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int, int]]:
    """Grow each anchor into a maximal common block inside the range; blocks in order."""
    blocks: list[tuple[int, int, int]] = []
    pa, pb = alo, blo  # end of the previous block
    for i, j in anchors:
        if i < pa:  # inside the previous block (same diagonal)
            continue
        s = 0
        while i - s > pa and j - s > pb and a[i - s - 1] == b[j - s - 1]:
            s += 1
        e = 1
        while i + e < ahi and j + e < bhi and a[i + e] == b[j + e]:
            e += 1
        blocks.append((i - s, j - s, s + e))
        pa, pb = i + e, j + e
    return blocks


def _difflib_blocks(
    a: Sequence[int], b: Sequence[int], alo: int, ahi: int, blo: int, bhi: int, *, prefer_late: bool = False
) -> list[tuple[int, int, int]]:
    """Matching blocks of a small range by ``difflib`` (no junk heuristics).

    ``difflib`` breaks ties towards the earliest stretch of ``a``; ``prefer_late`` breaks them
    towards the latest (matching reversed sequences), used before the first match of a page so
    that the headline right above the body wins over the ``<title>`` line at the top.
    """
    if not prefer_late:
        sm = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        return [(alo + i, blo + j, n) for i, j, n in sm.get_matching_blocks() if n]
    ra, rb = a[alo:ahi][::-1], b[blo:bhi][::-1]
    sm = difflib.SequenceMatcher(None, ra, rb, autojunk=False)
    return [(ahi - i - n, bhi - j - n, n) for i, j, n in sm.get_matching_blocks() if n]


def align(a: Sequence[int], b: Sequence[int]) -> list[tuple[int, int, int]]:
    """In-order one-to-one matching blocks ``(i, j, size)`` between two token-id sequences.

    >>> align([1, 2, 3, 9, 4, 5], [1, 2, 3, 4, 5])
    [(0, 0, 3), (4, 3, 2)]
    >>> align([7, 8, 0, 7, 8, 1, 2], [7, 8, 1, 2])  # the later copy, next to the rest, wins
    [(3, 0, 4)]
    """
    out: list[tuple[int, int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        if alo >= ahi or blo >= bhi:
            continue
        # Ties between copies go to the first one, except before the first match, where the
        # copy nearest to it wins (the headline above the body, not the <title> line at the top).
        lead = alo == 0 and ahi < len(a)
        anchors = _anchors(a, b, alo, ahi, blo, bhi)
        if not anchors:
            if (ahi - alo) * (bhi - blo) <= _SMALL_GAP:
                out.extend(_difflib_blocks(a, b, alo, ahi, blo, bhi, prefer_late=lead))
                continue
            # e.g. the whole article twice in the page: gold-unique tokens, first copy wins
            anchors = _anchors(a, b, alo, ahi, blo, bhi, max_a=MAX_COPIES)
            if not anchors:
                continue
        blocks = _blocks_from_anchors(a, b, anchors, alo, ahi, blo, bhi)
        out.extend(blocks)
        pa, pb = alo, blo
        for i, j, n in blocks:
            stack.append((pa, i, pb, j))
            pa, pb = i + n, j + n
        stack.append((pa, ahi, pb, bhi))
    return _merge(sorted(out))


def _merge(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Join adjacent blocks on the same diagonal."""
    merged: list[tuple[int, int, int]] = []
    for i, j, n in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            pi, pj, pn = merged[-1]
            merged[-1] = (pi, pj, pn + n)
        else:
            merged.append((i, j, n))
    return merged


def supported(blocks: list[tuple[int, int, int]], min_run: int, max_gap: int = CHAIN_GAP) -> list[tuple[int, int, int]]:
    """Blocks that belong to a run of at least ``min_run`` matched tokens.

    Consecutive blocks form a run when the gold or the text between them is at most ``max_gap``
    tokens long; a short stretch matched on its own ("Market Cap" in a sidebar against the
    same words deep in the gold) is chance and dropped.

    >>> supported([(0, 0, 5), (9, 5, 1), (30, 40, 2)], 4)
    [(0, 0, 5), (9, 5, 1)]
    """
    out: list[tuple[int, int, int]] = []
    run: list[tuple[int, int, int]] = []
    for blk in blocks:
        if run:
            pi, pj, pn = run[-1]
            if blk[0] - (pi + pn) > max_gap and blk[1] - (pj + pn) > max_gap:
                if sum(n for _, _, n in run) >= min_run:
                    out.extend(run)
                run = []
        run.append(blk)
    if run and sum(n for _, _, n in run) >= min_run:
        out.extend(run)
    return out


# ---------------------------------------------------------------------------------------------
# Labels from a full gold text


def _encode(seqs: Iterable[list[str]], vocab: dict[str, int]) -> list[list[int]]:
    """Token ids, growing ``vocab``."""
    return [[vocab.setdefault(t, len(vocab)) for t in s] for s in seqs]


def label_of(match: float, n: int, *, body_min: float = BODY_MIN, noise_max: float = NOISE_MAX) -> str:
    """``body``/``ambiguous``/``noise`` for a matched share (token-less lines are noise)."""
    if n == 0 or match < noise_max:
        return NOISE
    return BODY if match >= body_min else AMBIGUOUS


def _whole_line_copy(
    a: Sequence[int], seq: Sequence[int], lo: int, hi: int, first: dict[int, list[int]], ends: set[int]
) -> int | None:
    """Start of a copy of ``seq`` in ``a[lo:hi]`` that begins and ends with lines, if any."""
    n = len(seq)
    for s in first.get(seq[0], ()):
        if lo <= s and s + n <= hi and s + n in ends and a[s : s + n] == seq:
            return s
    return None


def snap_to_lines(
    blocks: list[tuple[int, int, int]], a: Sequence[int], starts: set[int], ends: set[int], max_len: int = SNAP_MAX
) -> list[tuple[int, int, int]]:
    """Move the part of a block that covers a line only in part onto a copy made of whole lines.

    Between two matched stretches the text may hold the same words twice: "Best Overall:
    Kettle X at Amazon $200" in a summary box and "Kettle X" as the section heading the gold
    means.  Both align equally well; the copy that makes up whole lines (``starts``/``ends``:
    token offsets where lines begin and end) wins.  The end of a block (up to ``max_len``
    tokens) may move forward, its start backward, within the gap to its neighbours, so order
    and one-to-one use are kept.

    >>> snap_to_lines([(0, 0, 3)], [5, 1, 2, 9, 1, 2], starts={0, 1, 4}, ends={1, 4, 6})
    [(0, 0, 1), (4, 1, 2)]
    """
    first: dict[int, list[int]] = {}
    for s in sorted(starts):
        if s < len(a):
            first.setdefault(a[s], []).append(s)
    out: list[tuple[int, int, int]] = []
    for k, (i, j, n) in enumerate(blocks):
        lo = out[-1][0] + out[-1][2] if out else 0
        hi = blocks[k + 1][0] if k + 1 < len(blocks) else len(a)
        if i + n not in ends:  # ends inside a line: move the longest tail that has a whole-line copy
            for t in [i] + [p for p in range(i + 1, i + n) if p in starts]:
                if i + n - t <= max_len:
                    s = _whole_line_copy(a, a[t : i + n], i + n, hi, first, ends)
                    if s is not None:
                        out += [(i, j, t - i)] if t > i else []
                        out.append((s, j + t - i, i + n - t))
                        break
            else:
                out.append((i, j, n))
            continue
        if i not in starts:  # starts inside a line: move the longest head that has a copy
            for e in [i + n] + [p for p in range(i + n - 1, i, -1) if p in ends]:
                if e - i <= max_len and a[i] in first:
                    s = _whole_line_copy(a, a[i:e], lo, i, first, ends)
                    if s is not None:
                        out.append((s, j, e - i))
                        out += [(e, j + e - i, i + n - e)] if e < i + n else []
                        break
            else:
                out.append((i, j, n))
            continue
        out.append((i, j, n))
    return [b for b in out if b[2] > 0]


def _exact_pass(
    line_ids: list[list[int]], matched: list[int], gold: list[int], used: bytearray,
    gold_lines: set[tuple[int, int]], body_min: float,
) -> None:
    """Place lines still below ``body_min`` whole in gold nothing has used yet; in place.

    Lines shorter than ``MIN_RUN`` tokens must match a whole gold line (a heading the page
    shows elsewhere), not a few words inside one ("Market Cap" in a price box).
    """
    starts: dict[int, list[int]] = {}
    for j, t in enumerate(gold):
        if not used[j]:
            starts.setdefault(t, []).append(j)
    order = sorted(
        (k for k, ids in enumerate(line_ids) if len(ids) >= EXACT_MIN_TOKENS and matched[k] < body_min * len(ids)),
        key=lambda k: -len(line_ids[k]),
    )
    for k in order:
        ids = line_ids[k]
        n = len(ids)
        for j in starts.get(ids[0], ()):
            if n < MIN_RUN and (j, j + n) not in gold_lines:
                continue
            if gold[j : j + n] == ids and not any(used[j : j + n]):
                used[j : j + n] = b"\x01" * n
                matched[k] = n
                break


def _line_spans(lines: Iterable[list[int]]) -> set[tuple[int, int]]:
    """``(start, end)`` token offsets of each line in the concatenated sequence."""
    spans, pos = set(), 0
    for ids in lines:
        spans.add((pos, pos + len(ids)))
        pos += len(ids)
    return spans


def _to_original(blocks: list[tuple[int, int, int]], a_pos: list[int], b_pos: list[int]) -> list[tuple[int, int, int]]:
    """Blocks found on subsequences (positions ``a_pos``/``b_pos``) in whole-sequence positions,
    split where the subsequences skip."""
    out = []
    for i, j, n in blocks:
        start = 0
        for d in range(1, n + 1):
            if d == n or a_pos[i + d] != a_pos[i + d - 1] + 1 or b_pos[j + d] != b_pos[j + d - 1] + 1:
                out.append((a_pos[i + start], b_pos[j + start], d - start))
                start = d
    return out


def _count(
    blocks: list[tuple[int, int, int]], owner: list[int], matched: list[int], hit: bytearray, used: bytearray
) -> None:
    """Credit matched tokens to their lines and mark them used."""
    for i, j, n in blocks:
        hit[i : i + n] = b"\x01" * n
        used[j : j + n] = b"\x01" * n
        for p in range(i, i + n):
            matched[owner[p]] += 1


def line_matches(lines: Sequence[str], gold: str, *, body_min: float = BODY_MIN) -> list[tuple[int, int]]:
    """``(matched tokens, tokens)`` for each line against the gold text.

    Pass 1 aligns the whole text to the gold in order; pass 2 aligns the tokens of lines still
    below ``body_min`` to the gold left unused (content shown in another order than the gold),
    up to ``REPASSES`` times; both keep only runs of at least ``MIN_RUN`` tokens.  Last, lines
    still below ``body_min`` are looked up whole in the unused gold.
    """
    vocab: dict[str, int] = {}
    line_ids = _encode((tokens(line) for line in lines), vocab)
    gold_line_ids = _encode((tokens(line) for line in gold.splitlines()), vocab)
    gold_ids = [t for ids in gold_line_ids for t in ids]
    flat = [t for ids in line_ids for t in ids]
    owner = [k for k, ids in enumerate(line_ids) for _ in ids]
    matched = [0] * len(line_ids)
    hit, used = bytearray(len(flat)), bytearray(len(gold_ids))
    min_run = min(MIN_RUN, len(gold_ids))
    a_pos, b_pos = list(range(len(flat))), list(range(len(gold_ids)))
    line_spans = _line_spans(line_ids)
    starts, ends = {s for s, _ in line_spans}, {e for _, e in line_spans}
    for rnd in range(1 + REPASSES):
        if not a_pos or not b_pos:
            break
        blocks = align([flat[p] for p in a_pos], [gold_ids[q] for q in b_pos])
        blocks = supported(_to_original(blocks, a_pos, b_pos), min_run)
        if not blocks:
            break
        if rnd == 0:
            blocks = snap_to_lines(blocks, flat, starts, ends)
        _count(blocks, owner, matched, hit, used)
        a_pos = [p for p in a_pos if not hit[p] and matched[owner[p]] < body_min * len(line_ids[owner[p]])]
        b_pos = [q for q in b_pos if not used[q]]
    _exact_pass(line_ids, matched, gold_ids, used, _line_spans(gold_line_ids), body_min)
    return [(m, len(ids)) for m, ids in zip(matched, line_ids)]


def label_page(
    text: str, gold: str, *, body_min: float = BODY_MIN, noise_max: float = NOISE_MAX
) -> list[LineLabel]:
    """Label each non-blank line of ``text`` (``str.splitlines``) against the full ``gold`` text.

    >>> [(x.i, x.label) for x in label_page("Menu\\n\\nThe cat sat on the mat.\\nShare", "The cat sat on the mat.")]
    [(0, 'noise'), (2, 'body'), (3, 'noise')]
    """
    all_lines = text.splitlines()
    idx = [i for i, line in enumerate(all_lines) if line.strip()]
    counts = line_matches([all_lines[i] for i in idx], gold, body_min=body_min)
    out = []
    for i, (m, n) in zip(idx, counts):
        share = m / n if n else 0.0
        out.append(LineLabel(i, label_of(share, n, body_min=body_min, noise_max=noise_max), share, n))
    return out


# ---------------------------------------------------------------------------------------------
# Labels from snippets (trafilatura_eval)


def _find_all(seq: Sequence[Any], sub: Sequence[Any]) -> list[int]:
    """Start positions of ``sub`` in ``seq``."""
    n = len(sub)
    return [p for p in range(len(seq) - n + 1) if seq[p] == sub[0] and seq[p : p + n] == sub] if n else []


def _contained(line: list[str], snip: list[str]) -> bool:
    """True when the line's tokens run in order inside the snippet's and make up at least
    half of it (a piece of a snippet the page breaks up, not a stray "Tools")."""
    return len(line) >= PIECE_MIN_TOKENS and 2 * len(line) >= len(snip) and bool(_find_all(snip, line))


def _snippet_occurrences(
    norm: list[str], toks: list[list[str]], snippet: str, *, as_text: bool = True
) -> list[set[int]]:
    """Where a snippet occurs, each occurrence as the set of lines (indexes into ``norm``) it touches.

    Found in the lines joined by spaces as a token sequence (punctuation and line breaks may
    differ) or, with ``as_text``, as normalised text (a snippet may end mid-word); lines holding
    a large piece of it count when it is found nowhere whole (neighbouring pieces as one
    occurrence).
    """
    snip = normalise(snippet)
    stoks = tokens(snip)
    if not snip:
        return []
    occ: dict[int, set[int]] = {}  # first line -> lines
    if as_text:
        ends, pos = [], -1
        for s in norm:
            pos += len(s) + 1
            ends.append(pos)  # index of the separator after the line
        joined = " ".join(norm)
        start = joined.find(snip)
        while start >= 0:
            first = bisect.bisect_left(ends, start)
            last = min(bisect.bisect_left(ends, start + len(snip) - 1), len(norm) - 1)
            occ.setdefault(first, set()).update(range(first, last + 1))
            start = joined.find(snip, start + 1)
    flat = [t for ts in toks for t in ts]
    owner = [k for k, ts in enumerate(toks) for _ in ts]
    for p in _find_all(flat, stoks):
        lines = {owner[q] for q in range(p, p + len(stoks))}
        occ.setdefault(min(lines), set()).update(lines)
    if occ:
        return list(occ.values())
    pieces: list[set[int]] = []
    for k, ts in enumerate(toks):
        if _contained(ts, stoks):
            if pieces and 0 < k - max(pieces[-1]) <= 2:
                pieces[-1].add(k)
            else:
                pieces.append({k})
    return pieces


def snippet_labels(text: str, with_: Iterable[str], without: Iterable[str]) -> list[LineLabel]:
    """Partial labels from snippets (trafilatura_eval).

    Lines a ``without`` snippet touches are noise; lines a ``with`` snippet touches are body
    when the snippet occurs once, ambiguous when it occurs several times (which copy the gold
    means is unknown) or the line also holds a ``without`` snippet; the rest are unlabelled.
    A ``without`` snippet of one or two words inside a line of ``LONG_LINE`` tokens or more
    makes the line ambiguous, not noise.

    >>> text = "Home\\nThe storm hit the\\ncoast today.\\nImpressum"
    >>> [x.label for x in snippet_labels(text, ["storm hit the coast"], ["Impressum"])]
    [None, 'body', 'body', 'noise']
    """
    all_lines = text.splitlines()
    idx = [i for i, line in enumerate(all_lines) if line.strip()]
    norm = [normalise(all_lines[i]) for i in idx]
    toks = [tokens(s) for s in norm]
    pos: set[int] = set()
    neg: set[int] = set()
    unsure: set[int] = set()
    for s in with_:
        occ = _snippet_occurrences(norm, toks, s)
        for lines in occ:
            (pos if len(occ) == 1 else unsure).update(lines)
    for s in without:
        short = len(tokens(s)) < 3
        for lines in _snippet_occurrences(norm, toks, s, as_text=False):  # whole words only
            for k in lines:  # "Abnehmen" in a long paragraph does not make it noise
                (unsure if short and len(toks[k]) >= LONG_LINE else neg).add(k)
    out = []
    for k, i in enumerate(idx):
        n = len(toks[k])
        if k in unsure or (k in pos and k in neg):
            out.append(LineLabel(i, AMBIGUOUS, None, n))
        elif k in pos:
            out.append(LineLabel(i, BODY, 1.0, n))
        elif k in neg:
            out.append(LineLabel(i, NOISE, 0.0, n))
        else:
            out.append(LineLabel(i, None, None, n))
    return out


# ---------------------------------------------------------------------------------------------
# Pages, files, summaries


def page_labels(page: dict[str, Any]) -> list[LineLabel]:
    """Labels for a scraped page: from snippets for snippet-only sets, else from the gold."""
    if page.get("dataset") in SNIPPET_SETS:
        return snippet_labels(page["text"], page.get("with") or [], page.get("without") or [])
    return label_page(page["text"], page.get("gold") or "")


def kept_text(text: str, labels: Iterable[LineLabel]) -> str:
    """The text of the body lines, in order (what the oracle keeps)."""
    lines = text.splitlines()
    return "\n".join(lines[x.i] for x in labels if x.label == BODY)


def labels_path(set_name: str) -> Path:
    """Where a set's labels are written."""
    return cache_dir() / "labels" / f"{set_name}.jsonl.gz"


def load_labels(set_name: str) -> dict[str, dict[str, Any]]:
    """The labels of one set, ``{page id: record}``, as written by ``python -m benchmarks.labels``."""
    out: dict[str, dict[str, Any]] = {}
    with gzip.open(labels_path(set_name), "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out[str(rec["id"])] = rec
    return out


def oracle_scores(page: dict[str, Any], labels: Iterable[LineLabel]) -> dict[str, float]:
    """How the oracle (keep exactly the body lines) scores: token P/R/F1 against the gold, or
    for snippet-only sets the share of ``with`` snippets kept and ``without`` snippets dropped."""
    kept = kept_text(page["text"], labels)
    if page.get("dataset") in SNIPPET_SETS:
        wk, wt, wr, wot = snippet_hits(kept, page.get("with") or [], page.get("without") or [])
        return {"with_kept": wk, "with_total": wt, "without_removed": wr, "without_total": wot}
    p, r, f = prf(kept, page.get("gold") or "")
    return {"precision": p, "recall": r, "f1": f}


def _work(page: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Label one page in a worker: the line records and the oracle's scores."""
    labels = page_labels(page)
    return [x.as_dict() for x in labels], oracle_scores(page, labels)


def label_set(set_name: str, *, limit: int | None = None, workers: int = 2) -> dict[str, Any]:
    """Label one set, write its labels file and return its summary."""
    pages = scraped_pages(set_name)
    if limit:
        pages = pages[:limit]
    keys = ("dataset", "text", "gold", "with", "without")
    jobs = [{k: p.get(k) for k in keys} for p in pages]
    t0 = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(workers) as ex:
            results = list(ex.map(_work, jobs, chunksize=8))
    else:
        results = [_work(j) for j in jobs]
    secs = time.perf_counter() - t0
    path = labels_path(set_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        for p, (lines, _) in zip(pages, results):
            rec = {"id": str(p["id"]), "dataset": set_name, "split": p["split"], "lines": lines}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return summarise(set_name, [r[0] for r in results], [r[1] for r in results], secs)


def summarise(
    set_name: str, pages: list[list[dict[str, Any]]], scores: list[dict[str, float]], secs: float
) -> dict[str, Any]:
    """Shares of each label and of the 20-80% band, and the oracle's scores."""
    c = Counter(x["label"] for lines in pages for x in lines)
    n = sum(c.values()) or 1
    band = sum(1 for lines in pages for x in lines if x["match"] is not None and 0.2 <= x["match"] <= 0.8)
    out: dict[str, Any] = {
        "set": set_name,
        "pages": len(pages),
        "lines": sum(c.values()),
        "body": c[BODY] / n,
        "noise": c[NOISE] / n,
        "ambiguous": c[AMBIGUOUS] / n,
        "unlabelled": c[None] / n,
        "band_20_80": band / n,
        "seconds": secs,
    }
    f1 = [s["f1"] for s in scores if "f1" in s]
    if f1:
        out["oracle_f1_mean"] = statistics.fmean(f1)
        out["oracle_f1_median"] = statistics.median(f1)
    wt = sum(s.get("with_total", 0) for s in scores)
    wot = sum(s.get("without_total", 0) for s in scores)
    if wt or wot:
        out["with_kept"] = sum(s["with_kept"] for s in scores) / (wt or 1)
        out["without_removed"] = sum(s["without_removed"] for s in scores) / (wot or 1)
    return out


def format_summary(s: dict[str, Any]) -> str:
    """One line of the printed summary table."""
    if "oracle_f1_mean" in s:
        oracle = f"F1 mean {s['oracle_f1_mean']:.4f} median {s['oracle_f1_median']:.4f}"
    elif "with_kept" in s:
        oracle = f"with kept {100 * s['with_kept']:.1f}%, without dropped {100 * s['without_removed']:.1f}%"
    else:
        oracle = "-"
    return (
        f"{s['set']:<20} {s['pages']:>5} {s['lines']:>8} {100 * s['body']:6.1f} {100 * s['noise']:6.1f}"
        f" {100 * s['ambiguous']:5.2f} {100 * s['unlabelled']:6.1f} {100 * s['band_20_80']:6.2f}"
        f" {s['seconds']:6.1f}  {oracle}"
    )


CHECK_SAMPLE: tuple[tuple[str, int], ...] = (
    ("wcxb", 50),
    ("mozilla_readability", 24),
    ("chinese_cwced", 20),
    ("trafilatura_eval", 16),
    ("l3s_gn1", 14),
    ("dragnet", 14),
    ("cleaneval", 12),
)
"""Random lines per set in the hand-checked sample (``benchmarks/label_check.tsv``)."""
CHECK_EDGES: tuple[tuple[str, int], ...] = (
    ("wcxb", 12),
    ("mozilla_readability", 6),
    ("chinese_cwced", 6),
    ("l3s_gn1", 6),
    ("dragnet", 6),
    ("cleaneval", 4),
)
"""Edge lines per set (next to a line with another label), where label errors gather."""
CHECK_SEED = 20261123
CHECK_COLUMNS = ("dataset", "id", "line", "auto", "mine", "note", "sample", "text")


def _edges(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Labelled lines whose previous or next labelled line has another label."""
    lab = [x for x in lines if x["label"] is not None and x["n"] > 0]
    return [
        x
        for k, x in enumerate(lab)
        if (k and lab[k - 1]["label"] != x["label"]) or (k + 1 < len(lab) and lab[k + 1]["label"] != x["label"])
    ]


def _rank(seed: int, name: str, pid: str, i: int) -> str:
    """A fixed pseudo-random rank for a line: samples drawn by it barely move when labels change."""
    return hashlib.sha1(f"{seed}/{name}/{pid}/{i}".encode()).hexdigest()


def _pick(name: str, k: int, kind: str, seed: int, taken: set[tuple[str, int]]) -> list[tuple[str, int, str]]:
    """``k`` lines of one set: half auto-body and half not (``random``), or any ``edge`` lines."""
    pool: dict[bool, list[tuple[str, int, str]]] = {True: [], False: []}
    for pid, rec in load_labels(name).items():
        cands = _edges(rec["lines"]) if kind == "edge" else rec["lines"]
        for x in cands:
            if x["label"] is not None and x["n"] > 0 and (pid, x["i"]) not in taken:
                pool[kind == "random" and x["label"] == BODY].append((pid, x["i"], x["label"]))
    for lines in pool.values():
        lines.sort(key=lambda r: _rank(seed, f"{name}/{kind}", r[0], r[1]))
    if kind != "random":
        return pool[False][:k]
    picked = pool[True][: k // 2]
    return picked + pool[False][: k - len(picked)]


def draw_check_sample(
    sizes: Iterable[tuple[str, int]] = CHECK_SAMPLE,
    edges: Iterable[tuple[str, int]] = CHECK_EDGES,
    seed: int = CHECK_SEED,
) -> list[dict[str, Any]]:
    """A fixed random sample of labelled lines with tokens, from the written labels files.

    Per set, ``sizes`` lines half auto-body and half not (``sample`` = random), then ``edges``
    lines next to a line with another label (``sample`` = edge).  The line text is filled in
    only for the sets whose licence lets it be committed (``PERMISSIVE_SETS``), cut to 120
    characters.
    """
    rows: list[dict[str, Any]] = []
    taken: set[tuple[str, str, int]] = set()
    for kind, plan in (("random", sizes), ("edge", edges)):
        for name, k in plan:
            texts = {str(p["id"]): p["text"] for p in scraped_pages(name)} if name in PERMISSIVE_SETS else {}
            got = _pick(name, k, kind, seed, {(p, i) for s, p, i in taken if s == name})
            for pid, i, label in sorted(got, key=lambda r: (r[0], r[1])):
                taken.add((name, pid, i))
                text = " ".join(texts[pid].splitlines()[i].split())[:120] if pid in texts else ""
                rows.append(
                    {"dataset": name, "id": pid, "line": i, "auto": label, "mine": "", "note": "", "sample": kind, "text": text}
                )
    return rows


def write_check_sample(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """The sample as TSV, to be completed by hand (columns ``mine`` and ``note``)."""
    out.write("\t".join(CHECK_COLUMNS) + "\n")
    for r in rows:
        out.write("\t".join(str(r[c]).replace("\t", " ") for c in CHECK_COLUMNS) + "\n")


HEADER = "set                  pages    lines  body%  noise%  amb% unlab% 20-80%   secs  oracle (keep the body lines)"


def main(argv: list[str] | None = None) -> int:
    """Command line: label the chosen sets and print a summary per set."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.labels", description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS, metavar="SET")
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--check-sample", action="store_true", help="print the hand-check sample as TSV and stop")
    args = ap.parse_args(argv)
    if args.check_sample:
        write_check_sample(draw_check_sample(), sys.stdout)
        return 0
    print(HEADER)
    for name in args.sets:
        print(format_summary(label_set(name, limit=args.limit, workers=args.workers)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
