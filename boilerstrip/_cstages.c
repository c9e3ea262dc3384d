/* boilerstrip._cstages: small per-line stages in C.
 *
 * - split_lines: segment.split_lines, the Line records' slots filled directly instead of through
 *   the frozen dataclass __init__. Line ends are those of str.splitlines (Py_UNICODE_ISLINEBREAK).
 * - word_hits: the counting part of langdetect.detect_language: the [^\W\d_]+ words of the
 *   lower-cased sample (sre's \w and \d), its Han characters, and the function-word hits of each
 *   language, looked up by their code points in a table word_index makes once. The lower-casing
 *   itself (str.lower) is left to the caller.
 * - line_table: the per-line part of matrix.design_matrix: the non-blank lines, their
 *   LineFeatures attributes as floats, prose_like and headline_like, the rule scores, the kinds.
 * - design_rows: the rest of matrix.design_matrix, its NumPy code in C with the same bits
 *   (sequential cumulative sums, NumPy's pairwise sum, its maximum and minimum, a quickselect
 *   median), but for np.log1p, whose arguments it hands back for NumPy to take.
 * - neighbour_rows: matrix.neighbour_columns, the same bits as its NumPy code.
 * - regex_hits, prefix_hits, contains_hits: the candidate loops of lexicon.Lexicon._match (the
 *   regexes offered to a key, tested for their literal text and needed characters before their
 *   own search, which stays Python re; the prefix phrases of the key's first character; the
 *   contains phrases, found where the alternation of them all would find them).
 * - exact_key, lexicon_match: lexicon.exact_key, and all of Lexicon._match in one call: the exact
 *   phrase, the three loops above, the key's regex offer, and each entry's hit made once in Python,
 *   stable-sorted by weight.
 * - word_lists: duplicates.dup_tokens of many lines, the \w+ runs (sre's \w) of str.casefold.
 * - verdicts: the records of context.verdicts_from, one Verdict per line's context-free template,
 *   slots filled directly instead of through the dataclass __init__.
 * - repeats: the loop of duplicates.find_repeats over the lines' token lists, exact and near
 *   repeats, with tables of line positions in place of Python's dicts (no Python code runs in it).
 * - repeats_of: duplicates.find_repeats from the texts themselves: their words (as word_lists
 *   cuts them) are spans of the folded texts, hashed from their code points and compared by
 *   them, so no str is made per word; then the loop of repeats.
 * - refine_counts, refine_rows: refine.refine_with_model's counts (non-blank lines, noise, a line it
 *   may give back) and its decision loop with protected_lines and _words_left: each row's reason
 *   (its probability as format(p, ".2f") writes it, through PyOS_double_to_string), Verdict.set
 *   for the lines it rescues or drops (best_noise's first maximal kind), the changed rows for
 *   explain's attribution. Everything is checked, and every str made, before a verdict changes.
 * - footer_rows: context.footer_start.
 * - blank_runs: render.keep_blank_lines.
 * - kept_lines: decide._kept_lines, calling back decide._keep_line for the lines it does not
 *   settle itself (after checking every verdict, so a hand-back calls nothing).
 *
 * Records are read and written through their classes' slot (member) descriptors, checked once
 * per call. Each Python module falls back to its pure path when this module is not built, and a
 * function here hands a call back (returns NotImplemented) when its inputs are not the plain
 * types it knows: a str subclass, a list of something other than the exact record class, a
 * field value that is not a bool, an exact int of at most 2**53 in size or an exact float;
 * design_rows and neighbour_rows also hand back NaN inputs, whose bits through an addition
 * would depend on the order of its operands.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>
#include <stdint.h>
#include <limits.h>

#include "_pairwise_sum.h" /* NumPy's order of additions, for design_rows */
#include "_records.h"      /* the records' slots: member_offsets, slot, number, truth, add_names */

/* ---- split_lines ----------------------------------------------------------------------------- */

/* str.splitlines' line ends: \n \v \f \r, \x1c-\x1e, \x85, \u2028, \u2029. */
ALWAYS_INLINE int is_line_end(Py_UCS4 c)
{
    if (c < 0x1c)
        return c >= 0x0a && c <= 0x0d;
    if (c <= 0x1e)
        return 1;
    return c >= 0x85 && Py_UNICODE_ISLINEBREAK(c);
}

/* Where the line starting at i ends (its first line end, or n) and how long its ending is. */
ALWAYS_INLINE Py_ssize_t line_end(const int kind, const void *data, Py_ssize_t n, Py_ssize_t i, Py_ssize_t *width)
{
    for (; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c <= 0x20 || c >= 0x85) { /* most characters are neither */
            if (is_line_end(c)) {
                *width = (c == '\r' && i + 1 < n && PyUnicode_READ(kind, data, i + 1) == '\n') ? 2 : 1;
                return i;
            }
        }
    }
    *width = 0;
    return n;
}

/* line_end of a 1- or 2-byte str, a block of 8 bytes at a time where it can: a block whose
 * characters are all from 0x20 to 0x7f holds no line end (one below 0x20 or from 0x80 up may be
 * one, and the block is then read character by character). */
#define LINE_END_BLOCKS(NAME, T, ONES, HIGHS)                                                                   \
    static Py_ssize_t NAME(const T *d, Py_ssize_t n, Py_ssize_t i, Py_ssize_t *width)                           \
    {                                                                                                           \
        const Py_ssize_t per = 8 / (Py_ssize_t)sizeof(T);                                                       \
        while (i < n) {                                                                                         \
            if (i + per <= n) {                                                                                 \
                uint64_t x;                                                                                     \
                memcpy(&x, d + i, 8);                                                                           \
                /* a character below 0x20 sets its lane's top bit in (x - 0x20..) & ~x (none is missed); one  \
                 * from 0x80 up has a bit under HIGHS itself */                                                 \
                if (!((((x - 0x20 * (ONES)) & ~x & ((ONES) << (8 * sizeof(T) - 1))) | (x & (HIGHS))))) {       \
                    i += per;                                                                                   \
                    continue;                                                                                   \
                }                                                                                               \
            }                                                                                                   \
            for (Py_ssize_t stop = i + per < n ? i + per : n; i < stop; i++) {                                  \
                Py_UCS4 c = d[i];                                                                               \
                if ((c <= 0x20 || c >= 0x85) && is_line_end(c)) {                                               \
                    *width = (c == '\r' && i + 1 < n && d[i + 1] == '\n') ? 2 : 1;                              \
                    return i;                                                                                   \
                }                                                                                               \
            }                                                                                                   \
        }                                                                                                       \
        *width = 0;                                                                                             \
        return n;                                                                                               \
    }
LINE_END_BLOCKS(line_end_ucs1, Py_UCS1, 0x0101010101010101ULL, 0x8080808080808080ULL)
LINE_END_BLOCKS(line_end_ucs2, Py_UCS2, 0x0001000100010001ULL, 0xFF80FF80FF80FF80ULL)

static Py_ssize_t find_end(PyObject *text, Py_ssize_t i, Py_ssize_t *width)
{
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        return line_end_ucs1(data, n, i, width);
    case PyUnicode_2BYTE_KIND:
        return line_end_ucs2(data, n, i, width);
    default:
        return line_end(PyUnicode_4BYTE_KIND, data, n, i, width);
    }
}

PyDoc_STRVAR(split_lines_doc,
"split_lines(text, cls, descrs)\n"
"--\n\n"
"segment.split_lines in C: a list of new ``cls`` records (index, text, ending), their slots\n"
"filled through the slot descriptors ``descrs`` (a tuple, in that order) without calling the\n"
"class. Returns NotImplemented when ``text`` is not an exact str.");

static PyObject *split_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "split_lines takes 3 arguments");
        return NULL;
    }
    PyObject *text = args[0];
    PyTypeObject *cls = (PyTypeObject *)args[1];
    Py_ssize_t off[3];
    if (member_offsets(args[1], args[2], 3, off, "split_lines") < 0)
        return NULL;
    if (!PyUnicode_CheckExact(text))
        Py_RETURN_NOTIMPLEMENTED;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0)
        return NULL;
#endif
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), count = 0, width;
    for (Py_ssize_t i = 0; i < n; count++)
        i = find_end(text, i, &width) + width;

    PyObject *out = PyList_New(count), *crlf = NULL;
    if (out == NULL)
        return NULL;
    Py_ssize_t i = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_ssize_t end = find_end(text, i, &width);
        PyObject *index = PyLong_FromSsize_t(k);
        PyObject *body = PyUnicode_Substring(text, i, end);
        PyObject *ending;
        if (width == 2) {
            if (crlf == NULL)
                crlf = PyUnicode_Substring(text, end, end + 2);
            ending = crlf ? Py_NewRef(crlf) : NULL;
        }
        else
            ending = PyUnicode_Substring(text, end, end + width); /* one character or "" */
        PyObject *line = (index && body && ending) ? cls->tp_alloc(cls, 0) : NULL;
        if (line == NULL) {
            Py_XDECREF(index);
            Py_XDECREF(body);
            Py_XDECREF(ending);
            Py_XDECREF(crlf);
            Py_DECREF(out);
            return NULL;
        }
        *slot(line, off[0]) = index;
        *slot(line, off[1]) = body;
        *slot(line, off[2]) = ending;
        /* An int and two strs: no cycle can pass through the record, so the collector need not
         * follow it (tuples of such values are untracked the same way). */
        if (PyObject_IS_GC(line))
            PyObject_GC_UnTrack(line);
        PyList_SET_ITEM(out, k, line);
        i = end + width;
    }
    Py_XDECREF(crlf);
    return out;
}

/* ---- word_hits ------------------------------------------------------------------------------- */

/* [^\W\d_]: \w is SRE_UNI_IS_ALNUM (Py_UNICODE_ISALNUM) or "_", \d is Py_UNICODE_ISDECIMAL.
 * Below 128 that is exactly the ASCII letters (as in _features.c). */
ALWAYS_INLINE int is_letter(Py_UCS4 c)
{
    if (c < 128)
        return (Py_UCS4)((c | 0x20) - 'a') < 26;
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

/* langdetect._HAN: [\u3400-\u4dbf\u4e00-\u9fff] */
ALWAYS_INLINE int is_han(Py_UCS4 c) { return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff); }

#define MAX_LANGUAGES 64

typedef struct {
    PyObject *index;   /* word -> tuple of language positions */
    Py_ssize_t n_langs, longest;
    Py_ssize_t hits[MAX_LANGUAGES];
} Hits;

/* Count the languages that the word low[i:j] is a function word of. */
static int hit(PyObject *low, Py_ssize_t i, Py_ssize_t j, Hits *h)
{
    PyObject *word = PyUnicode_Substring(low, i, j);
    if (word == NULL)
        return -1;
    PyObject *langs = PyDict_GetItemWithError(h->index, word); /* borrowed */
    Py_DECREF(word);
    if (langs == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyTuple_CheckExact(langs))
        goto bad;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(langs); k++) {
        PyObject *lang = PyTuple_GET_ITEM(langs, k);
        if (!PyLong_CheckExact(lang))
            goto bad;
        Py_ssize_t at = PyLong_AsSsize_t(lang);
        if (at == -1 && PyErr_Occurred())
            return -1;
        if (at < 0 || at >= h->n_langs)
            goto bad;
        h->hits[at]++;
    }
    return 0;
bad:
    PyErr_SetString(PyExc_ValueError, "word_hits: an index value is not a tuple of language positions");
    return -1;
}

ALWAYS_INLINE Py_ssize_t count_words(const int kind, const void *data, Py_ssize_t n, PyObject *low, Hits *h)
{
    Py_ssize_t words = 0;
    for (Py_ssize_t i = 0; i < n;) {
        if (!is_letter(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t j = i + 1;
        while (j < n && is_letter(PyUnicode_READ(kind, data, j)))
            j++;
        words++;
        if (j - i <= h->longest && hit(low, i, j, h) < 0)
            return -1;
        i = j;
    }
    return words;
}

ALWAYS_INLINE Py_ssize_t count_han(const int kind, const void *data, Py_ssize_t n)
{
    Py_ssize_t han = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        han += is_han(PyUnicode_READ(kind, data, i));
    return han;
}

/* A word_index: the function words in an open-addressing table of their code points, each with a
 * bit per language it is a function word of, so that a word of the sample is looked up from its
 * span, without a str made for it. Held in a capsule; read-only once built. */
#define WORD_INDEX_CAPSULE "boilerstrip._cstages.word_index"
#define WORD_FNV_BASIS 14695981039346656037ULL
#define WORD_FNV_PRIME 1099511628211ULL

typedef struct {
    uint64_t hash;
    uint64_t langs;  /* bit k: a function word of language k */
    Py_ssize_t at;   /* where its code points start in chars */
    Py_ssize_t len;  /* 0: an empty slot */
} WordSlot;

typedef struct {
    size_t mask;
    WordSlot *slots;
    Py_UCS4 *chars;
    Py_ssize_t n_langs;
    uint64_t hash_mask; /* all ones; fewer bits only in tests, to make words collide */
} WordIndex;

ALWAYS_INLINE uint64_t index_step(uint64_t h, Py_UCS4 c) { return (h ^ c) * WORD_FNV_PRIME; }
/* The first slot to probe: the product's high bits, which depend on every code point, folded in. */
ALWAYS_INLINE size_t index_home(uint64_t h, size_t mask) { return (size_t)(h ^ (h >> 32)) & mask; }

static void word_index_free(PyObject *capsule)
{
    WordIndex *t = PyCapsule_GetPointer(capsule, WORD_INDEX_CAPSULE);
    if (t != NULL) {
        PyMem_Free(t->slots);
        PyMem_Free(t->chars);
        PyMem_Free(t);
    }
}

/* The slot of the word of len code points read by get(src, m) with this hash, or of the empty
 * slot where it would go. */
#define WORD_PROBE(t, h, len, SAME)                                                                              \
    do {                                                                                                         \
        for (k = index_home((h), (t)->mask);; k = (k + 1) & (t)->mask) {                                            \
            const WordSlot *s_ = &(t)->slots[k];                                                                 \
            if (s_->len == 0)                                                                                    \
                break;                                                                                           \
            if (s_->hash == (h) && s_->len == (len)) {                                                           \
                Py_ssize_t m = 0;                                                                                \
                const Py_UCS4 *w_ = (t)->chars + s_->at;                                                         \
                while (m < (len) && w_[m] == (SAME))                                                             \
                    m++;                                                                                         \
                if (m == (len))                                                                                  \
                    break;                                                                                       \
            }                                                                                                    \
        }                                                                                                        \
    } while (0)

PyDoc_STRVAR(word_index_doc,
"word_index(index, n_langs, hash_bits=64)\n"
"--\n\n"
"The function-word index of word_hits (a dict of each word to a tuple of language positions below\n"
"``n_langs``, at most 64, none twice) as a compiled table that word_hits reads in its place, with\n"
"the same counts. Raises ValueError for an index it cannot hold (a key that is not an exact str,\n"
"a value that is not such a tuple). ``hash_bits`` below 64 keeps only that many bits of each\n"
"word's hash, for tests to make words collide.");

static PyObject *word_index(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 2 && nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "word_index takes 2 or 3 arguments");
        return NULL;
    }
    PyObject *index = args[0];
    Py_ssize_t n_langs = PyLong_AsSsize_t(args[1]);
    Py_ssize_t hash_bits = nargs == 3 ? PyLong_AsSsize_t(args[2]) : 64;
    if ((n_langs == -1 || hash_bits == -1) && PyErr_Occurred())
        return NULL;
    if (!PyDict_CheckExact(index) || n_langs < 0 || n_langs > MAX_LANGUAGES || hash_bits < 0 || hash_bits > 64) {
        PyErr_SetString(PyExc_ValueError, "word_index: expected a dict, at most 64 languages and 0 to 64 hash bits");
        return NULL;
    }
    const uint64_t hash_mask = hash_bits == 64 ? ~(uint64_t)0 : (((uint64_t)1 << hash_bits) - 1);
    /* Checked and measured first: nothing below runs Python code, so the dict cannot change. */
    Py_ssize_t words = PyDict_GET_SIZE(index), total = 0, pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(index, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key) || !PyTuple_CheckExact(value))
            goto bad;
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(key) < 0)
            return NULL;
#endif
        uint64_t seen = 0;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(value); k++) {
            PyObject *lang = PyTuple_GET_ITEM(value, k);
            Py_ssize_t at = PyLong_CheckExact(lang) ? PyLong_AsSsize_t(lang) : -1;
            if (at == -1 && PyErr_Occurred())
                return NULL;
            if (at < 0 || at >= n_langs || (seen >> at) & 1)
                goto bad;
            seen |= (uint64_t)1 << at;
        }
        if (PyUnicode_GET_LENGTH(key) == 0)
            goto bad; /* no word is empty */
        total += PyUnicode_GET_LENGTH(key);
    }
    size_t size = 8;
    while (size < (size_t)words * 2 + 1)
        size <<= 1;
    WordIndex *t = PyMem_Calloc(1, sizeof(WordIndex));
    if (t == NULL)
        return PyErr_NoMemory();
    t->mask = size - 1;
    t->n_langs = n_langs;
    t->hash_mask = hash_mask;
    t->slots = PyMem_Calloc(size, sizeof(WordSlot));
    t->chars = PyMem_Malloc((size_t)(total ? total : 1) * sizeof(Py_UCS4));
    if (t->slots == NULL || t->chars == NULL) {
        PyMem_Free(t->slots);
        PyMem_Free(t->chars);
        PyMem_Free(t);
        return PyErr_NoMemory();
    }
    Py_ssize_t used = 0;
    pos = 0;
    while (PyDict_Next(index, &pos, &key, &value)) {
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        const int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        uint64_t h = WORD_FNV_BASIS, langs = 0;
        for (Py_ssize_t m = 0; m < len; m++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, m);
            t->chars[used + m] = c;
            h = index_step(h, c);
        }
        h &= hash_mask;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(value); k++)
            langs |= (uint64_t)1 << PyLong_AsSsize_t(PyTuple_GET_ITEM(value, k));
        size_t k;
        WORD_PROBE(t, h, len, t->chars[used + m]); /* dict keys differ: the slot is empty */
        t->slots[k] = (WordSlot){h, langs, used, len};
        used += len;
    }
    PyObject *capsule = PyCapsule_New(t, WORD_INDEX_CAPSULE, word_index_free);
    if (capsule == NULL) {
        PyMem_Free(t->slots);
        PyMem_Free(t->chars);
        PyMem_Free(t);
    }
    return capsule;
bad:
    PyErr_SetString(PyExc_ValueError, "word_index: expected exact str words, each to a tuple of distinct language positions");
    return NULL;
}

/* count_words with a word_index: each word's hash is made while its end is found. */
ALWAYS_INLINE Py_ssize_t count_indexed(const int kind, const void *data, Py_ssize_t n, const WordIndex *t, Hits *h)
{
    Py_ssize_t words = 0;
    for (Py_ssize_t i = 0; i < n;) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_letter(c)) {
            i++;
            continue;
        }
        uint64_t hash = index_step(WORD_FNV_BASIS, c);
        Py_ssize_t j = i + 1;
        while (j < n && is_letter(c = PyUnicode_READ(kind, data, j))) {
            hash = index_step(hash, c);
            j++;
        }
        words++;
        Py_ssize_t len = j - i;
        if (len <= h->longest) {
            size_t k;
            hash &= t->hash_mask;
            WORD_PROBE(t, hash, len, PyUnicode_READ(kind, data, i + m));
            uint64_t langs = t->slots[k].langs;
            for (Py_ssize_t at = 0; langs; at++, langs >>= 1)
                h->hits[at] += (Py_ssize_t)(langs & 1);
        }
        i = j;
    }
    return words;
}

PyDoc_STRVAR(word_hits_doc,
"word_hits(low, sample, index, n_langs, longest)\n"
"--\n\n"
"``(words, han, hits)``: how many ``[^\\W\\d_]+`` words ``low`` (the lower-cased sample) holds,\n"
"how many Han characters ``sample`` holds, and for each of the ``n_langs`` languages how many of\n"
"the words are its function words, by ``index`` (a dict of each function word, at most\n"
"``longest`` characters long, to a tuple of language positions, or that dict as word_index made\n"
"it). Returns NotImplemented when ``low`` or ``sample`` is not an exact str or ``index`` neither\n"
"an exact dict nor a word_index.");

static PyObject *word_hits(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "word_hits takes 5 arguments");
        return NULL;
    }
    PyObject *low = args[0], *sample = args[1];
    Hits h;
    memset(&h, 0, sizeof(h));
    h.index = args[2];
    h.n_langs = PyLong_AsSsize_t(args[3]);
    h.longest = PyLong_AsSsize_t(args[4]);
    if ((h.n_langs == -1 || h.longest == -1) && PyErr_Occurred())
        return NULL;
    if (h.n_langs < 0 || h.n_langs > MAX_LANGUAGES) {
        PyErr_SetString(PyExc_ValueError, "word_hits: n_langs out of range");
        return NULL;
    }
    const WordIndex *table = NULL;
    if (PyCapsule_CheckExact(h.index)) {
        table = PyCapsule_GetPointer(h.index, WORD_INDEX_CAPSULE);
        if (table == NULL)
            return NULL;
        if (table->n_langs != h.n_langs) {
            PyErr_SetString(PyExc_ValueError, "word_hits: n_langs is not that of the word_index");
            return NULL;
        }
    }
    if (!PyUnicode_CheckExact(low) || !PyUnicode_CheckExact(sample) || (table == NULL && !PyDict_CheckExact(h.index)))
        Py_RETURN_NOTIMPLEMENTED;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(low) < 0 || PyUnicode_READY(sample) < 0)
        return NULL;
#endif
    const void *data = PyUnicode_DATA(low);
    Py_ssize_t n = PyUnicode_GET_LENGTH(low), words, han = 0;
    switch (PyUnicode_KIND(low)) {
    case PyUnicode_1BYTE_KIND:
        words = table ? count_indexed(PyUnicode_1BYTE_KIND, data, n, table, &h)
                      : count_words(PyUnicode_1BYTE_KIND, data, n, low, &h);
        break;
    case PyUnicode_2BYTE_KIND:
        words = table ? count_indexed(PyUnicode_2BYTE_KIND, data, n, table, &h)
                      : count_words(PyUnicode_2BYTE_KIND, data, n, low, &h);
        break;
    default:
        words = table ? count_indexed(PyUnicode_4BYTE_KIND, data, n, table, &h)
                      : count_words(PyUnicode_4BYTE_KIND, data, n, low, &h);
        break;
    }
    if (words < 0)
        return NULL;
    data = PyUnicode_DATA(sample);
    n = PyUnicode_GET_LENGTH(sample);
    switch (PyUnicode_KIND(sample)) {
    case PyUnicode_1BYTE_KIND: /* no character above U+00FF */
        break;
    case PyUnicode_2BYTE_KIND:
        han = count_han(PyUnicode_2BYTE_KIND, data, n);
        break;
    default:
        han = count_han(PyUnicode_4BYTE_KIND, data, n);
        break;
    }
    PyObject *hits = PyList_New(h.n_langs);
    if (hits == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < h.n_langs; k++) {
        PyObject *v = PyLong_FromSsize_t(h.hits[k]);
        if (v == NULL) {
            Py_DECREF(hits);
            return NULL;
        }
        PyList_SET_ITEM(hits, k, v);
    }
    return Py_BuildValue("nnN", words, han, hits);
}

/* ---- line_table ------------------------------------------------------------------------------ */

/* The LineFeatures slots line_table reads, in this order (matrix.py passes their descriptors):
 * the fourteen of matrix._PLAIN, then blank. */
enum {
    F_CHARS, F_WORDS, F_STOP_RATIO, F_CAP_RATIO, F_DIGIT_RATIO, F_PUNCT_RATIO, F_ENDS_SENTENCE, F_ENDS_COLON,
    F_SENTENCES, F_BULLET, F_CJK, F_HAS_URL, F_WORD_SCORE_SUM, F_WORD_SCORE_N, N_PLAIN, F_BLANK = N_PLAIN, N_FEAT
};
/* The Verdict slots it reads. */
enum { V_KIND, V_SCORES, V_HEADER, N_VERDICT };


/* context.prose_like, with LineFeatures.sentence_like (cjk_prose_chars: CJK_PROSE_CHARS). */
ALWAYS_INLINE int prose_like(const double *f, double cjk_prose_chars)
{
    if (truth(f[F_CJK]))
        return f[F_CHARS] >= cjk_prose_chars;
    if (f[F_WORDS] < 10)
        return 0;
    int sentence_like = f[F_WORDS] >= 10 && truth(f[F_ENDS_SENTENCE]) &&
                        (f[F_STOP_RATIO] >= 0.2 || truth(f[F_CJK])) && f[F_CAP_RATIO] < 0.65;
    return sentence_like || (f[F_WORDS] >= 20 && f[F_STOP_RATIO] >= 0.15 && f[F_CAP_RATIO] < 0.6);
}

/* LineFeatures.headline_like */
ALWAYS_INLINE int headline_like(const double *f)
{
    return 2 <= f[F_WORDS] && f[F_WORDS] <= 24 && !truth(f[F_ENDS_SENTENCE]) && f[F_CHARS] <= 200 &&
           f[F_SENTENCES] <= 1;
}

/* A value of a dict of str to positions below limit, or -1 when the key is missing, -2 on error. */
static Py_ssize_t position(PyObject *dict, PyObject *key, Py_ssize_t limit)
{
    PyObject *v = PyDict_GetItemWithError(dict, key); /* borrowed */
    if (v == NULL)
        return PyErr_Occurred() ? -2 : -1;
    Py_ssize_t at = PyLong_CheckExact(v) ? PyLong_AsSsize_t(v) : -1;
    if (at < 0 || at >= limit) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "line_table: an index value is not a column position");
        return -2;
    }
    return at;
}

static int get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, int ndim, const char *name)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) < 0)
        return -1;
    if (view->itemsize != itemsize || view->ndim != ndim) {
        PyErr_Format(PyExc_TypeError, "line_table: %s: expected a %d-D array of %zd-byte items", name, ndim,
                     itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(line_table_doc,
"line_table(feats, verdicts, feat_cls, feat_descrs, verdict_cls, verdict_descrs,\n"
"           noise_index, kind_index, n_content, cjk_prose_chars, rows, table)\n"
"--\n\n"
"The per-line part of matrix.design_matrix: writes the positions of the non-blank lines of\n"
"``feats`` to the intp array ``rows`` and, for each, a row of the float64 matrix ``table``\n"
"(both at least len(feats) long): the fourteen matrix._PLAIN features, prose_like,\n"
"headline_like, the rule scores (columns by ``noise_index``), the kind (one-hot by\n"
"``kind_index``), the header flag, and whether the kind is noise (not one of the kinds at\n"
"positions below ``n_content`` in ``kind_index``). Returns how many lines are not blank, or\n"
"NotImplemented, the arrays then of no use, when the inputs are not of the types it handles.");

static PyObject *line_table(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 12) {
        PyErr_SetString(PyExc_TypeError, "line_table takes 12 arguments");
        return NULL;
    }
    PyObject *feats = args[0], *verdicts = args[1], *noise_index = args[6], *kind_index = args[7];
    Py_ssize_t f_off[N_FEAT], v_off[N_VERDICT];
    if (member_offsets(args[2], args[3], N_FEAT, f_off, "line_table") < 0 ||
        member_offsets(args[4], args[5], N_VERDICT, v_off, "line_table") < 0)
        return NULL;
    PyTypeObject *feat_cls = (PyTypeObject *)args[2], *verdict_cls = (PyTypeObject *)args[4];
    if (!PyDict_CheckExact(noise_index) || !PyDict_CheckExact(kind_index)) {
        PyErr_SetString(PyExc_TypeError, "line_table: the indices must be dicts");
        return NULL;
    }
    Py_ssize_t n_noise = PyDict_GET_SIZE(noise_index), n_kinds = PyDict_GET_SIZE(kind_index);
    Py_ssize_t n_content = PyLong_AsSsize_t(args[8]);
    double cjk_prose_chars = PyFloat_AsDouble(args[9]);
    if ((n_content == -1 || cjk_prose_chars == -1.0) && PyErr_Occurred())
        return NULL;
    if (!(PyList_CheckExact(feats) || PyTuple_CheckExact(feats)) ||
        !(PyList_CheckExact(verdicts) || PyTuple_CheckExact(verdicts)))
        Py_RETURN_NOTIMPLEMENTED;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(feats);
    if (PySequence_Fast_GET_SIZE(verdicts) != n)
        Py_RETURN_NOTIMPLEMENTED;

    const Py_ssize_t col_rule = N_PLAIN + 2, col_kind = col_rule + n_noise, col_header = col_kind + n_kinds;
    const Py_ssize_t width = col_header + 2;
    Py_buffer rows_view, table_view;
    if (get_buffer(args[10], &rows_view, sizeof(Py_ssize_t), 1, "rows") < 0)
        return NULL;
    if (get_buffer(args[11], &table_view, sizeof(double), 2, "table") < 0) {
        PyBuffer_Release(&rows_view);
        return NULL;
    }
    PyObject *result = NULL;
    if (rows_view.shape[0] < n || table_view.shape[0] < n || table_view.shape[1] != width) {
        PyErr_SetString(PyExc_ValueError, "line_table: arrays of the wrong shape");
        goto done;
    }
    Py_ssize_t *rows = rows_view.buf;
    double *table = table_view.buf;
    PyObject **f_items = PySequence_Fast_ITEMS(feats), **v_items = PySequence_Fast_ITEMS(verdicts);
    Py_ssize_t r = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f = f_items[i];
        if (Py_TYPE(f) != feat_cls)
            goto hand_back;
        PyObject *blank = *slot(f, f_off[F_BLANK]);
        if (blank != Py_True && blank != Py_False)
            goto hand_back;
        if (blank == Py_True)
            continue;
        PyObject *v = v_items[i];
        if (Py_TYPE(v) != verdict_cls)
            goto hand_back;
        double *row = table + r * width;
        for (Py_ssize_t k = 0; k < N_PLAIN; k++)
            if (!number(*slot(f, f_off[k]), &row[k]))
                goto hand_back;
        row[N_PLAIN] = prose_like(row, cjk_prose_chars);
        row[N_PLAIN + 1] = headline_like(row);
        memset(row + col_rule, 0, (size_t)(n_noise + n_kinds) * sizeof(double));

        PyObject *scores = *slot(v, v_off[V_SCORES]), *key, *value;
        if (scores == NULL || !PyDict_CheckExact(scores))
            goto hand_back;
        Py_ssize_t pos = 0;
        while (PyDict_Next(scores, &pos, &key, &value)) {
            Py_ssize_t at = PyUnicode_CheckExact(key) ? position(noise_index, key, n_noise) : -1;
            if (at == -2)
                goto done;
            if (at == -1 || !number(value, &row[col_rule + at]))
                goto hand_back; /* Python raises the KeyError, or converts what it converts */
        }
        PyObject *kind = *slot(v, v_off[V_KIND]);
        if (kind == NULL || !PyUnicode_CheckExact(kind))
            goto hand_back;
        Py_ssize_t at = position(kind_index, kind, n_kinds);
        if (at == -2)
            goto done;
        if (at >= 0)
            row[col_kind + at] = 1.0;
        if (!number(*slot(v, v_off[V_HEADER]), &row[col_header]))
            goto hand_back;
        row[col_header + 1] = !(at >= 0 && at < n_content);
        rows[r++] = i;
    }
    result = PyLong_FromSsize_t(r);
    goto done;
hand_back:
    result = Py_NewRef(Py_NotImplemented);
done:
    PyBuffer_Release(&rows_view);
    PyBuffer_Release(&table_view);
    return result;
}

/* ---- design_rows and neighbour_rows ----------------------------------------------------------- */

/* np.maximum(a, b) and np.minimum(a, b) of doubles: a NaN a is kept, as NumPy propagates it. */
ALWAYS_INLINE double np_maximum(double a, double b) { return (a >= b || a != a) ? a : b; }
ALWAYS_INLINE double np_minimum(double a, double b) { return (a <= b || a != a) ? a : b; }

/* The k-th smallest of a[0..n) (k < n), a reordered so that a[0..k) holds the k smaller ones:
 * a quickselect (Hoare partition, median-of-three pivot), for values without NaN. */
static double select_kth(double *a, Py_ssize_t n, Py_ssize_t k)
{
    Py_ssize_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi];
        double pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        Py_ssize_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                double t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        /* a[lo..j] <= pivot, a[j+1..i-1] == pivot, a[i..hi] >= pivot */
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return a[k];
    }
    return a[k];
}

/* matrix._median of a[0..n) (n > 0; a reordered): the middle value, or the two middle ones'
 * sum halved. Without NaN and -0.0, values that compare equal have the same bits, so the result
 * is that of np.sort's order whatever the order of equal values. */
static double median(double *a, Py_ssize_t n)
{
    Py_ssize_t m = n / 2;
    double hi = select_kth(a, n, m);
    if (n % 2)
        return hi;
    double lo = a[0];
    for (Py_ssize_t i = 1; i < m; i++)
        lo = a[i] > lo ? a[i] : lo;
    return (lo + hi) / 2;
}

/* matrix.window_sums' cumulative sum of n values read with stride step: c[0] = 0, c[1] = v[0]
 * (np.cumsum copies the first value, so -0.0 stays), then one addition per value in order. */
static void cumulative(const double *v, Py_ssize_t step, Py_ssize_t n, double *c)
{
    c[0] = 0.0;
    if (n == 0)
        return;
    c[1] = v[0];
    for (Py_ssize_t i = 1; i < n; i++)
        c[i + 1] = c[i] + v[i * step];
}

/* matrix.window_sum at position i of the values v (stride step) with cumulative sums c. */
ALWAYS_INLINE double window_at(const double *c, const double *v, Py_ssize_t step, Py_ssize_t n, Py_ssize_t i,
                               Py_ssize_t radius)
{
    Py_ssize_t hi = i + radius + 1 < n ? i + radius + 1 : n, lo = i - radius > 0 ? i - radius : 0;
    return c[hi] - c[lo] - v[i * step];
}

/* np.searchsorted(rows, x): how many of the ascending rows[0..n) are below x. */
static Py_ssize_t searchsorted(const Py_ssize_t *rows, Py_ssize_t n, Py_ssize_t x)
{
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (rows[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A buffer of a C-contiguous array of ndim dimensions whose items have the struct format fmt
 * (one of them), writable if asked; 0 when obj is not one (no exception set when hand_back),
 * -1 with an exception set. */
static int array_of(PyObject *obj, Py_buffer *view, const char *formats, int ndim, int writable, int hand_back,
                    const char *who, const char *name)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) {
        if (!hand_back)
            return -1;
        PyErr_Clear();
        return 0;
    }
    const char *f = view->format;
    if (view->ndim == ndim && f != NULL && f[0] != '\0' && f[1] == '\0' && strchr(formats, f[0]) != NULL)
        return 1;
    PyBuffer_Release(view);
    if (hand_back)
        return 0;
    PyErr_Format(PyExc_TypeError, "%s: %s: expected a C-contiguous %d-D array of '%s' items", who, name, ndim,
                 formats);
    return -1;
}

/* The struct formats of intp items. */
#if SIZEOF_SIZE_T == SIZEOF_LONG
#define INTP_FORMATS "ln"
#else
#define INTP_FORMATS "qn"
#endif

/* A span's bounds: 1 for None (*given = 0), 1 for a tuple of two exact ints of Py_ssize_t size,
 * 0 for anything else (Python handles it), -1 with an exception set. */
static int span_bounds(PyObject *span, int *given, Py_ssize_t *first, Py_ssize_t *last)
{
    *given = span != Py_None;
    if (!*given)
        return 1;
    if (!PyTuple_CheckExact(span) || PyTuple_GET_SIZE(span) != 2)
        return 0;
    PyObject *a = PyTuple_GET_ITEM(span, 0), *b = PyTuple_GET_ITEM(span, 1);
    if (!PyLong_CheckExact(a) || !PyLong_CheckExact(b))
        return 0;
    int overflow_a, overflow_b;
    long long x = PyLong_AsLongLongAndOverflow(a, &overflow_a), y = PyLong_AsLongLongAndOverflow(b, &overflow_b);
    if ((x == -1 || y == -1) && PyErr_Occurred())
        return -1;
    if (overflow_a || overflow_b || x > PY_SSIZE_T_MAX || x < PY_SSIZE_T_MIN || y > PY_SSIZE_T_MAX ||
        y < PY_SSIZE_T_MIN)
        return 0;
    *first = (Py_ssize_t)x;
    *last = (Py_ssize_t)y;
    return 1;
}

/* The columns of matrix.design_matrix after the table's own (the line columns, the rule scores,
 * the kinds, the header flag), in order, and which of them design_rows leaves as the arguments of
 * log1p in ``logs`` (np.log1p is not C's log1p bit for bit: NumPy has its own). */
enum {
    D_POSITION, D_IN_SPAN, D_ABOVE_SPAN, D_BELOW_SPAN, D_WORD_SCORE, D_WORD_SCORE_2, D_WORD_SCORE_5,
    D_AROUND, /* words_around_r, prose_around_r, noise_around_r for each radius */
    D_WORDS_BEFORE = D_AROUND + 12, D_WORDS_AFTER, D_BLANK_BEFORE, D_BLANK_AFTER, D_PAGE_LINES, D_PAGE_MEDIAN,
    D_PAGE_PROSE, D_PAGE_WORDS, N_TAIL
};
static const char *const design_head_names[] = {
    "log_chars", "log_words", "stop_ratio", "cap_ratio", "digit_ratio", "punct_ratio", "ends_sentence",
    "ends_colon", "sentences", "bullet", "cjk", "has_url", "prose_like", "headline_like",
};
#define N_HEAD 14
static const char *const design_tail_names[N_TAIL] = {
    "position", "in_span", "lines_above_span", "lines_below_span", "word_score", "word_score_around_2",
    "word_score_around_5", "words_around_1", "prose_around_1", "noise_around_1", "words_around_2",
    "prose_around_2", "noise_around_2", "words_around_5", "prose_around_5", "noise_around_5", "words_around_10",
    "prose_around_10", "noise_around_10", "words_before_all", "words_after_all", "blank_before", "blank_after",
    "page_log_lines", "page_median_words", "page_prose_share", "page_log_words",
};
enum {
    G_CHARS, G_WORDS, G_ABOVE_SPAN, G_BELOW_SPAN, G_AROUND, G_WORDS_BEFORE = G_AROUND + 4, G_WORDS_AFTER,
    G_PAGE_LINES, G_PAGE_WORDS, N_LOG
};
static const char *const design_log_names[N_LOG] = {
    "log_chars", "log_words", "lines_above_span", "lines_below_span", "words_around_1", "words_around_2",
    "words_around_5", "words_around_10", "words_before_all", "words_after_all", "page_log_lines", "page_log_words",
};
static const Py_ssize_t radii[4] = {1, 2, 5, 10};

/* The table columns design_rows reads past the line table's (matrix._T_PROSE, _T_RULE, and the
 * window-summed quantities, the last of them the noise flag in the table's last column). */
enum { T_PROSE = N_PLAIN, T_RULE = N_PLAIN + 2 };
enum { Q_WS_SUM, Q_WS_N, Q_WORDS, Q_PROSE, Q_NOISE, N_QUANTITIES };

/* One row i of design_rows. */
ALWAYS_INLINE void design_row(const double *t, Py_ssize_t width, const Py_ssize_t *rows, Py_ssize_t n, Py_ssize_t i,
                              const double *const *q, const double *const *c, const double *page, int given,
                              Py_ssize_t above, Py_ssize_t below, Py_ssize_t first, Py_ssize_t last, double *x,
                              double *g)
{
    const double *row = t + i * width;
    g[G_CHARS] = row[F_CHARS];
    g[G_WORDS] = row[F_WORDS];
    memcpy(x + 2, row + 2, (F_HAS_URL - 1) * sizeof(double));
    x[F_SENTENCES] = np_minimum(row[F_SENTENCES], 10.0);
    x[12] = row[T_PROSE];
    x[13] = row[T_PROSE + 1];
    memcpy(x + N_HEAD, row + T_RULE, (size_t)(width - T_RULE - 1) * sizeof(double));
    double *tail = x + N_HEAD + (width - T_RULE - 1);
    tail[D_POSITION] = (double)i / (double)(n - 1 > 1 ? n - 1 : 1);
    if (given) {
        tail[D_IN_SPAN] = rows[i] >= first && rows[i] <= last;
        g[G_ABOVE_SPAN] = np_maximum(0.0, (double)above - (double)i);
        g[G_BELOW_SPAN] = np_maximum(0.0, (double)i - (double)below);
    }
    else {
        tail[D_IN_SPAN] = 0.0;
        g[G_ABOVE_SPAN] = g[G_BELOW_SPAN] = 0.0; /* log1p(0.0) is 0.0, as the zeros of Python's */
    }
    tail[D_WORD_SCORE] = row[F_WORD_SCORE_SUM] / np_maximum(row[F_WORD_SCORE_N], 1.0);
    for (int k = 0; k < 4; k++) {
        Py_ssize_t r = radii[k];
        double around[N_QUANTITIES];
        for (int j = 0; j < N_QUANTITIES; j++)
            around[j] = window_at(c[j], q[j], width, n, i, r);
        if (r == 2 || r == 5)
            tail[r == 2 ? D_WORD_SCORE_2 : D_WORD_SCORE_5] = around[Q_WS_SUM] / np_maximum(around[Q_WS_N], 1.0);
        g[G_AROUND + k] = around[Q_WORDS];
        tail[D_AROUND + 3 * k + 1] = around[Q_PROSE] / (double)(2 * r);
        tail[D_AROUND + 3 * k + 2] = around[Q_NOISE] / (double)(2 * r);
    }
    const double *cw = c[Q_WORDS];
    g[G_WORDS_BEFORE] = cw[i + 1] - row[F_WORDS];
    g[G_WORDS_AFTER] = page[1] - cw[i + 1];
    tail[D_BLANK_BEFORE] = i > 0 && rows[i] - rows[i - 1] > 1;
    tail[D_BLANK_AFTER] = i + 1 < n && rows[i + 1] - rows[i] > 1;
    g[G_PAGE_LINES] = (double)n;
    tail[D_PAGE_MEDIAN] = page[0];
    tail[D_PAGE_PROSE] = page[2];
    g[G_PAGE_WORDS] = page[1];
}

PyDoc_STRVAR(design_rows_doc,
"design_rows(rows, table, span, X, logs)\n"
"--\n\n"
"matrix.design_matrix's columns from what matrix.line_table made, the intp array ``rows``\n"
"(ascending) and the float64 ``table`` (n rows), and the article span (None or a tuple of two\n"
"ints): writes the float64 ``X`` (n x (table width + 26), in matrix.DESIGN_NAMES order) but for\n"
"the columns named in DESIGN_LOG1P, whose values' log1p arguments it writes to the float64\n"
"``logs`` (n x len(DESIGN_LOG1P), in that order) for NumPy to take (np.log1p is not C's log1p\n"
"bit for bit). The same bits as the NumPy code. Returns None, or NotImplemented, the arrays\n"
"then of no use, for a span of other types or ints beyond Py_ssize_t, a NaN in the table (its\n"
"bits would depend on the order of operands) or -0.0 among the word counts (np.sort puts it\n"
"before or after 0.0).");

static PyObject *design_rows(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "design_rows takes 5 arguments");
        return NULL;
    }
    int given;
    Py_ssize_t first = 0, last = 0;
    int fits = span_bounds(args[2], &given, &first, &last);
    if (fits <= 0)
        return fits < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    Py_buffer views[4];
    static const char *const names[4] = {"rows", "table", "X", "logs"};
    static const char *const formats[4] = {INTP_FORMATS, "d", "d", "d"};
    static const int ndims[4] = {1, 2, 2, 2}, writable[4] = {0, 0, 1, 1};
    const int objs[4] = {0, 1, 3, 4};
    int got = 0;
    PyObject *result = NULL;
    double *scratch = NULL;
    for (; got < 4; got++)
        if (array_of(args[objs[got]], &views[got], formats[got], ndims[got], writable[got], 0, "design_rows",
                     names[got]) < 0)
            goto done;
    const Py_ssize_t n = views[0].shape[0], width = views[1].shape[1];
    if (views[0].itemsize != sizeof(Py_ssize_t) || width < T_RULE + 2 || views[1].shape[0] != n ||
        views[2].shape[0] != n || views[2].shape[1] != N_HEAD + (width - T_RULE - 1) + N_TAIL ||
        views[3].shape[0] != n || views[3].shape[1] != N_LOG) {
        PyErr_SetString(PyExc_ValueError, "design_rows: arrays of the wrong shape");
        goto done;
    }
    const Py_ssize_t *rows = views[0].buf;
    const double *t = views[1].buf;
    double *X = views[2].buf, *logs = views[3].buf;
    for (Py_ssize_t k = 0; k < n * width; k++)
        if (t[k] != t[k])
            goto hand_back;
    for (Py_ssize_t i = 0; i < n; i++)
        if (t[i * width + F_WORDS] == 0.0 && signbit(t[i * width + F_WORDS]))
            goto hand_back;

    /* the window-summed quantities (column by column of the table) and their cumulative sums */
    const double *q[N_QUANTITIES] = {t + F_WORD_SCORE_SUM, t + F_WORD_SCORE_N, t + F_WORDS, t + T_PROSE,
                                     t + width - 1};
    scratch = PyMem_Malloc((size_t)(N_QUANTITIES * (n + 1) + n + 1) * sizeof(double));
    if (scratch == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    const double *c[N_QUANTITIES];
    for (int j = 0; j < N_QUANTITIES; j++) {
        cumulative(q[j], width, n, scratch + j * (n + 1));
        c[j] = scratch + j * (n + 1);
    }
    /* the page's median words, total words (pairwise, as words.sum()) and prose share */
    double page[3] = {0.0, 0.0, 0.0}, *column = scratch + N_QUANTITIES * (n + 1);
    if (n > 0) {
        for (Py_ssize_t i = 0; i < n; i++)
            column[i] = q[Q_PROSE][i * width];
        page[2] = pairwise_sum(column, n) / (double)n;
        for (Py_ssize_t i = 0; i < n; i++)
            column[i] = q[Q_WORDS][i * width];
        page[1] = pairwise_sum(column, n);
        page[0] = median(column, n);
    }
    Py_ssize_t above = given ? searchsorted(rows, n, first) : 0, below = given ? searchsorted(rows, n, last) : 0;
    const Py_ssize_t cols = views[2].shape[1];
    for (Py_ssize_t i = 0; i < n; i++)
        design_row(t, width, rows, n, i, q, c, page, given, above, below, first, last, X + i * cols, logs + i * N_LOG);
    result = Py_NewRef(Py_None);
    goto done;
hand_back:
    result = Py_NewRef(Py_NotImplemented);
done:
    PyMem_Free(scratch);
    while (got > 0)
        PyBuffer_Release(&views[--got]);
    return result;
}

static const char *const neighbour_names[] = {"p1", "p1_around_1", "p1_around_2", "p1_around_5", "p1_prev", "p1_next"};
#define N_NEIGHBOUR 6

PyDoc_STRVAR(neighbour_rows_doc,
"neighbour_rows(p, X)\n"
"--\n\n"
"matrix.neighbour_columns in C: writes the float64 ``X`` (len(p) x len(NEIGHBOUR_NAMES)) from\n"
"the first stage's probabilities ``p``, a C-contiguous 1-D float64 array, the same bits as the\n"
"NumPy code. Returns None, or NotImplemented for a ``p`` of another kind or holding a NaN.");

static PyObject *neighbour_rows(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "neighbour_rows takes 2 arguments");
        return NULL;
    }
    Py_buffer pv, xv;
    int fits = array_of(args[0], &pv, "d", 1, 0, 1, "neighbour_rows", "p");
    if (fits <= 0)
        return fits < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    if (array_of(args[1], &xv, "d", 2, 1, 0, "neighbour_rows", "X") < 0) {
        PyBuffer_Release(&pv);
        return NULL;
    }
    PyObject *result = NULL;
    double *c = NULL;
    const Py_ssize_t n = pv.shape[0];
    const double *p = pv.buf;
    double *X = xv.buf;
    if (xv.shape[0] != n || xv.shape[1] != N_NEIGHBOUR) {
        PyErr_SetString(PyExc_ValueError, "neighbour_rows: X of the wrong shape");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (p[i] != p[i]) {
            result = Py_NewRef(Py_NotImplemented);
            goto done;
        }
    c = PyMem_Malloc((size_t)(n + 1) * sizeof(double));
    if (c == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    cumulative(p, 1, n, c);
    for (Py_ssize_t i = 0; i < n; i++) {
        double *x = X + i * N_NEIGHBOUR;
        x[0] = p[i];
        x[1] = window_at(c, p, 1, n, i, 1) / 2.0;
        x[2] = window_at(c, p, 1, n, i, 2) / 4.0;
        x[3] = window_at(c, p, 1, n, i, 5) / 10.0;
        x[4] = i > 0 ? p[i - 1] : 0.5;
        x[5] = i + 1 < n ? p[i + 1] : 0.5;
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(c);
    PyBuffer_Release(&pv);
    PyBuffer_Release(&xv);
    return result;
}

/* ---- regex_hits and prefix_hits --------------------------------------------------------------- */

/* A lexicon key, the characters below 256 it holds (a bit each) and its pairs of neighbouring
 * characters (a bit each of PAIR_BITS, by pair_bit), filled when first asked. */
#define PAIR_BITS 4096
typedef struct {
    PyObject *key;
    int kind;
    const void *data;
    Py_ssize_t n;
    int filled;
    unsigned char below256[32];
    uint64_t pairs[PAIR_BITS / 64];
} Key;

ALWAYS_INLINE unsigned pair_bit(Py_UCS4 a, Py_UCS4 b) { return (a * 31u + b) & (PAIR_BITS - 1); }

ALWAYS_INLINE void fill_chars(const int kind, const void *data, Py_ssize_t n, unsigned char *bits,
                               uint64_t *pairs)
{
    Py_UCS4 before = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 256)
            bits[c >> 3] |= (unsigned char)(1u << (c & 7));
        if (i > 0) {
            unsigned b = pair_bit(before, c);
            pairs[b >> 6] |= (uint64_t)1 << (b & 63);
        }
        before = c;
    }
}

/* The key's characters below 256 and its pairs as bitmaps, made at the first test that reads them. */
static void fill_key(Key *k)
{
    if (k->filled)
        return;
    memset(k->below256, 0, sizeof(k->below256));
    memset(k->pairs, 0, sizeof(k->pairs));
    switch (k->kind) {
    case PyUnicode_1BYTE_KIND:
        fill_chars(PyUnicode_1BYTE_KIND, k->data, k->n, k->below256, k->pairs);
        break;
    case PyUnicode_2BYTE_KIND:
        fill_chars(PyUnicode_2BYTE_KIND, k->data, k->n, k->below256, k->pairs);
        break;
    default:
        fill_chars(PyUnicode_4BYTE_KIND, k->data, k->n, k->below256, k->pairs);
        break;
    }
    k->filled = 1;
}

/* 0 when the key lacks a character of text (an exact, ready str) or a pair of its neighbouring
 * characters, so cannot hold it; 1 when it may: each character below 256 is in the key, one above
 * is not ruled out (a key of one-byte characters holds none), and each pair's bit is set. Lets
 * most texts' substring search be skipped. */
static int may_hold(Key *k, PyObject *text)
{
    fill_key(k);
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 before = 0;
    for (Py_ssize_t i = 0, m = PyUnicode_GET_LENGTH(text); i < m; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 256 ? !(k->below256[c >> 3] & (1u << (c & 7))) : k->kind == PyUnicode_1BYTE_KIND)
            return 0;
        if (i > 0) {
            unsigned b = pair_bit(before, c);
            if (!((k->pairs[b >> 6] >> (b & 63)) & 1))
                return 0;
        }
        before = c;
    }
    return 1;
}

/* Whether the key holds one of the characters of the str need (not need.isdisjoint(set(key))),
 * or -1 with an exception set. */
static int holds_one_of(Key *k, PyObject *need)
{
    fill_key(k);
    const int kind = PyUnicode_KIND(need);
    const void *data = PyUnicode_DATA(need);
    for (Py_ssize_t i = 0, m = PyUnicode_GET_LENGTH(need); i < m; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 256) {
            if (k->below256[c >> 3] & (1u << (c & 7)))
                return 1;
        }
        else if (k->kind != PyUnicode_1BYTE_KIND) {
            Py_ssize_t at = PyUnicode_FindChar(k->key, c, 0, k->n, 1);
            if (at == -2)
                return -1;
            if (at >= 0)
                return 1;
        }
    }
    return 0;
}

/* The arguments of a lexicon loop, ``(key, table)``: 1 when there are two, the table passes
 * `fits` and the key is an exact str (made ready); 0 when the key is not an exact str (the call
 * goes back to Python); -1 with a TypeError naming `who` and `table_is` otherwise. */
static int key_and_table(PyObject *const *args, Py_ssize_t nargs, const char *who, int fits, const char *table_is)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "%s takes 2 arguments", who);
        return -1;
    }
    if (!fits) {
        PyErr_Format(PyExc_TypeError, "%s: %s", who, table_is);
        return -1;
    }
    if (!PyUnicode_CheckExact(args[0]))
        return 0;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(args[0]) < 0)
        return -1;
#endif
    return 1;
}

PyDoc_STRVAR(regex_hits_doc,
"regex_hits(key, items)\n"
"--\n\n"
"The lexicon's regex loop (lexicon._RegexDispatch.python_entries): the entries of the items\n"
"(a tuple or list of ``(search, entry, need, lit)`` tuples) whose ``need`` (None or a str of\n"
"characters) has a character in ``key``, whose ``lit`` (None, a str, or a tuple of str one of\n"
"which must be there) is in ``key``, and whose ``search`` (a pattern's bound search method) then\n"
"finds something in ``key``, in order; each test only when the ones before it pass. Returns\n"
"NotImplemented when ``key`` is not an exact str.");

/* Whether the key holds the exact str text: 1 or 0, -1 with an exception set (the substring
 * search only when each of text's characters is in the key). */
static int holds_text(Key *k, PyObject *text)
{
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0)
        return -1;
#endif
    return may_hold(k, text) ? PyUnicode_Contains(k->key, text) : 0;
}

/* Whether the key holds one of the exact strs of the tuple texts: 1 or 0, -1 with an exception
 * set, -2 when an item is not an exact str. */
static int holds_a_text(Key *k, PyObject *texts)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(texts); i++) {
        PyObject *text = PyTuple_GET_ITEM(texts, i);
        if (!PyUnicode_CheckExact(text))
            return -2;
        int found = holds_text(k, text);
        if (found != 0)
            return found;
    }
    return 0;
}

/* The loop of regex_hits: appends to out the entries (item[1]) of the items (a list or tuple) that
 * pass. 0, or -1 with an exception set (a TypeError naming who for an item of the wrong shape). */
static int regex_loop(Key *k, PyObject *items, PyObject *out, const char *who)
{
    PyObject *key = k->key;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items); i++) { /* a list's size may change */
        PyObject *item = PySequence_Fast_GET_ITEM(items, i);
        if (!PyTuple_CheckExact(item) || PyTuple_GET_SIZE(item) != 4)
            goto bad;
        PyObject *search = PyTuple_GET_ITEM(item, 0), *need = PyTuple_GET_ITEM(item, 2), *lit = PyTuple_GET_ITEM(item, 3);
        if ((need != Py_None && !PyUnicode_CheckExact(need)) ||
            (lit != Py_None && !PyUnicode_CheckExact(lit) && !PyTuple_CheckExact(lit)))
            goto bad;
#if PY_VERSION_HEX < 0x030C0000
        if ((need != Py_None && PyUnicode_READY(need) < 0) || (lit != Py_None && PyUnicode_CheckExact(lit) && PyUnicode_READY(lit) < 0))
            return -1;
#endif
        int ok = need == Py_None ? 1 : holds_one_of(k, need);
        if (ok == 1 && lit != Py_None)
            ok = PyUnicode_CheckExact(lit) ? holds_text(k, lit) : holds_a_text(k, lit);
        if (ok == -2)
            goto bad;
        if (ok == 1) {
            Py_INCREF(item); /* a list's item may go while search runs */
            PyObject *found = PyObject_Vectorcall(search, &key, 1, NULL);
            ok = found == NULL ? -1 : PyObject_IsTrue(found);
            Py_XDECREF(found);
            if (ok == 1 && PyList_Append(out, PyTuple_GET_ITEM(item, 1)) < 0)
                ok = -1;
            Py_DECREF(item);
        }
        if (ok < 0)
            return -1;
    }
    return 0;
bad:
    PyErr_Format(PyExc_TypeError,
                 "%s: an item is not a (search, entry, need, lit) tuple of str or None (lit: or a tuple of str)", who);
    return -1;
}

static PyObject *regex_hits(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    int fits = nargs == 2 && (PyList_CheckExact(args[1]) || PyTuple_CheckExact(args[1]));
    int ready = key_and_table(args, nargs, "regex_hits", fits, "items must be a tuple or a list");
    if (ready <= 0)
        return ready < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    PyObject *key = args[0];
    Key k = {key, PyUnicode_KIND(key), PyUnicode_DATA(key), PyUnicode_GET_LENGTH(key), 0, {0}, {0}};
    PyObject *out = PyList_New(0);
    if (out != NULL && regex_loop(&k, args[1], out, "regex_hits") < 0)
        Py_CLEAR(out);
    return out;
}

/* str.isalnum of one character */
ALWAYS_INLINE int is_alnum(Py_UCS4 c)
{
    if (c < 128)
        return (Py_UCS4)((c | 0x20) - 'a') < 26 || (Py_UCS4)(c - '0') < 10;
    return Py_UNICODE_ISALNUM(c);
}

/* A list of the entries a lexicon loop (prefix_loop, contains_loop) finds for key in table:
 * NotImplemented when the loop hands the call back, NULL with an exception set. */
static PyObject *entries_of(int (*loop)(PyObject *, PyObject *, PyObject *, const char *), PyObject *key,
                            PyObject *table, const char *who)
{
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    int got = loop(key, table, out, who);
    if (got != 0)
        Py_DECREF(out);
    return got == 0 ? out : got > 0 ? Py_NewRef(Py_NotImplemented) : NULL;
}

PyDoc_STRVAR(prefix_hits_doc,
"prefix_hits(key, phrases)\n"
"--\n\n"
"The lexicon's prefix loop (lexicon.Lexicon.python_prefix_entries): the entries of each\n"
"``(phrase, entries)`` of ``phrases`` (a list or tuple; ``entries`` a list or tuple) whose\n"
"non-empty phrase starts ``key`` and ends at a word's end (the key ends there, the next character\n"
"or the phrase's last is not alphanumeric), in order. Returns NotImplemented when ``key`` is not\n"
"an exact str or a phrase not a non-empty exact str.");

/* The loop of prefix_hits over phrases (a list or tuple; key an exact str, made ready): appends
 * the entries found to out. 0; 1 when a phrase is not a non-empty exact str (nothing appended: the
 * call goes back to Python); -1 with an exception set (a TypeError naming who for an item of the
 * wrong shape). */
static int prefix_loop(PyObject *key, PyObject *phrases, PyObject *out, const char *who)
{
    const int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    /* Nothing here runs Python code, so the sequences cannot change under the loop. */
    Py_ssize_t count = PySequence_Fast_GET_SIZE(phrases);
    PyObject **items = PySequence_Fast_ITEMS(phrases);
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = items[i];
        if (!PyTuple_CheckExact(item) || PyTuple_GET_SIZE(item) != 2)
            goto bad;
        PyObject *phrase = PyTuple_GET_ITEM(item, 0), *entries = PyTuple_GET_ITEM(item, 1);
        if (!PyList_CheckExact(entries) && !PyTuple_CheckExact(entries))
            goto bad;
        if (!PyUnicode_CheckExact(phrase))
            return 1;
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(phrase) < 0)
            return -1;
#endif
        if (PyUnicode_GET_LENGTH(phrase) == 0)
            return 1; /* Python raises its IndexError */
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *phrase = PyTuple_GET_ITEM(items[i], 0), *entries = PyTuple_GET_ITEM(items[i], 1);
        Py_ssize_t m = PyUnicode_GET_LENGTH(phrase);
        if (m > n)
            continue;
        Py_ssize_t starts = PyUnicode_Tailmatch(key, phrase, 0, m, -1);
        if (starts < 0)
            return -1;
        if (!starts)
            continue;
        if (m == n || !is_alnum(PyUnicode_READ(kind, data, m)) ||
            !is_alnum(PyUnicode_READ_CHAR(phrase, m - 1))) {
            for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(entries); j++)
                if (PyList_Append(out, PySequence_Fast_GET_ITEM(entries, j)) < 0)
                    return -1;
        }
    }
    return 0;
bad:
    PyErr_Format(PyExc_TypeError, "%s: an item is not a (phrase, entries) tuple of entries in a list or tuple", who);
    return -1;
}

static PyObject *prefix_hits(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    int fits = nargs == 2 && (PyList_CheckExact(args[1]) || PyTuple_CheckExact(args[1]));
    int ready = key_and_table(args, nargs, "prefix_hits", fits, "phrases must be a tuple or a list");
    if (ready <= 0)
        return ready < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    return entries_of(prefix_loop, args[0], args[1], "prefix_hits");
}

/* ---- word_lists ------------------------------------------------------------------------------ */

/* sre's \w for str patterns: SRE_UNI_IS_WORD, Py_UNICODE_ISALNUM or "_". */
ALWAYS_INLINE int is_word(Py_UCS4 c)
{
    if (c < 128)
        return (Py_UCS4)((c | 0x20) - 'a') < 26 || (Py_UCS4)(c - '0') < 10 || c == '_';
    return Py_UNICODE_ISALNUM(c);
}

PyDoc_STRVAR(contains_hits_doc,
"contains_hits(key, by_first)\n"
"--\n\n"
"The lexicon's contains loop (lexicon.Lexicon.python_contains_entries): the entries of the\n"
"phrases found in ``key`` where re's finditer finds ``(?<!\\w)(?:p1|p2|...)(?!\\w)``, the phrases\n"
"longest first: left to right, not overlapping, at each place where no word character precedes,\n"
"the first phrase of that character's bucket that is there and is not followed by a word\n"
"character. ``by_first`` is a dict of one-character str to a list or tuple of\n"
"``(phrase, entries)``, longest phrase first; ``entries`` a list or tuple. Returns NotImplemented\n"
"when ``key`` is not an exact str or a phrase met is not a non-empty exact str.");

/* The loop of contains_hits over by_first (a dict; key an exact str, made ready): appends the
 * entries found to out. 0; 1 when a phrase met is not a non-empty exact str (the call goes back to
 * Python); -1 with an exception set (a TypeError naming who for a bucket of the wrong shape). */
static int contains_loop(PyObject *key, PyObject *by_first, PyObject *out, const char *who)
{
    const int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    /* The ASCII first characters as a bitmap, so most places need no dict lookup; any other
     * key (a wider character, or what is not a one-character exact str) means looking up the
     * characters outside ASCII. */
    uint64_t ascii_first[2] = {0, 0};
    PyObject *ascii_bucket[128]; /* borrowed, where ascii_first has the bit */
    int wide_first = 0;
    Py_ssize_t at = 0;
    PyObject *first_char, *a_bucket;
    while (PyDict_Next(by_first, &at, &first_char, &a_bucket)) {
        if (!PyUnicode_CheckExact(first_char) || PyUnicode_GET_LENGTH(first_char) != 1) {
            wide_first = 1;
            continue;
        }
        Py_UCS4 c = PyUnicode_READ_CHAR(first_char, 0);
        if (c < 128) {
            ascii_first[c >> 6] |= (uint64_t)1 << (c & 63);
            ascii_bucket[c] = a_bucket;
        }
        else
            wide_first = 1;
    }
    /* Nothing here runs Python code (exact str keys hash and compare in C), so the dict and its
     * buckets cannot change under the loop. */
    for (Py_ssize_t p = 0; p < n;) {
        Py_UCS4 c = PyUnicode_READ(kind, data, p);
        if (c < 128 ? !((ascii_first[c >> 6] >> (c & 63)) & 1) : !wide_first) {
            p++;
            continue;
        }
        if (p > 0 && is_word(PyUnicode_READ(kind, data, p - 1))) {
            p++;
            continue;
        }
        PyObject *bucket;
        if (c < 128)
            bucket = ascii_bucket[c]; /* the dict's value for the one-character key c */
        else {
            PyObject *first = PyUnicode_FromOrdinal(c);
            if (first == NULL)
                return -1;
            bucket = PyDict_GetItemWithError(by_first, first); /* borrowed */
            Py_DECREF(first);
            if (bucket == NULL) {
                if (PyErr_Occurred())
                    return -1;
                p++;
                continue;
            }
        }
        if (!PyList_CheckExact(bucket) && !PyTuple_CheckExact(bucket))
            goto bad;
        Py_ssize_t found = 0;
        for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(bucket); i++) {
            PyObject *item = PySequence_Fast_GET_ITEM(bucket, i);
            if (!PyTuple_CheckExact(item) || PyTuple_GET_SIZE(item) != 2)
                goto bad;
            PyObject *phrase = PyTuple_GET_ITEM(item, 0), *entries = PyTuple_GET_ITEM(item, 1);
            if (!PyList_CheckExact(entries) && !PyTuple_CheckExact(entries))
                goto bad;
            if (!PyUnicode_CheckExact(phrase))
                return 1;
#if PY_VERSION_HEX < 0x030C0000
            if (PyUnicode_READY(phrase) < 0)
                return -1;
#endif
            Py_ssize_t m = PyUnicode_GET_LENGTH(phrase);
            if (m == 0)
                return 1;
            if (m > n - p)
                continue;
            const int phrase_kind = PyUnicode_KIND(phrase);
            const void *phrase_data = PyUnicode_DATA(phrase);
            Py_ssize_t j = 0;
            while (j < m && PyUnicode_READ(phrase_kind, phrase_data, j) == PyUnicode_READ(kind, data, p + j))
                j++;
            if (j < m || (p + m < n && is_word(PyUnicode_READ(kind, data, p + m))))
                continue;
            for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(entries); j++)
                if (PyList_Append(out, PySequence_Fast_GET_ITEM(entries, j)) < 0)
                    return -1;
            found = m;
            break;
        }
        p += found ? found : 1;
    }
    return 0;
bad:
    PyErr_Format(PyExc_TypeError,
                 "%s: a bucket is not a list or tuple of (phrase, entries) tuples of entries in a list or tuple", who);
    return -1;
}

static PyObject *contains_hits(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    int ready = key_and_table(args, nargs, "contains_hits", nargs == 2 && PyDict_CheckExact(args[1]), "by_first must be a dict");
    if (ready <= 0)
        return ready < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    return entries_of(contains_loop, args[0], args[1], "contains_hits");
}

/* ---- exact_key and lexicon_match ------------------------------------------------------------- */

/* One of lexicon._TRAIL: " \t:.!?…»›>|-–—" */
ALWAYS_INLINE int is_trail(Py_UCS4 c)
{
    switch (c) {
    case ' ': case '\t': case ':': case '.': case '!': case '?': case 0x2026: case 0xbb: case 0x203a:
    case '>': case '|': case '-': case 0x2013: case 0x2014:
        return 1;
    default:
        return 0;
    }
}

ALWAYS_INLINE Py_ssize_t rstrip_trail(const int kind, const void *data, Py_ssize_t end)
{
    while (end > 0 && is_trail(PyUnicode_READ(kind, data, end - 1)))
        end--;
    return end;
}

/* The length of lexicon.exact_key(key), a prefix of key: trailing _TRAIL off; then a trailing
 * "(...)" or "[...]" whose inside, white space (str.strip) and then "," and "." left out, is
 * digits (str.isdigit), or else trailing ASCII digits, "," and "." when they are all of it or
 * follow a character that is not alphanumeric (str.isalnum); then trailing _TRAIL off again. */
static Py_ssize_t exact_key_length(const int kind, const void *data, Py_ssize_t n)
{
    Py_ssize_t end = rstrip_trail(kind, data, n);
    Py_UCS4 close = end > 0 ? PyUnicode_READ(kind, data, end - 1) : 0;
    if (close == ')' || close == ']') {
        const Py_UCS4 open = close == ')' ? '(' : '[';
        Py_ssize_t i = end - 2;
        while (i >= 0 && PyUnicode_READ(kind, data, i) != open)
            i--;
        if (i >= 0) {
            Py_ssize_t lo = i + 1, hi = end - 1, digits = 0;
            while (lo < hi && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, lo)))
                lo++;
            while (hi > lo && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, hi - 1)))
                hi--;
            for (; lo < hi; lo++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, lo);
                if (Py_UNICODE_ISDIGIT(c))
                    digits++;
                else if (c != ',' && c != '.')
                    break;
            }
            if (lo == hi && digits > 0)
                end = i;
        }
    }
    else {
        Py_ssize_t bare = end;
        for (; bare > 0; bare--) {
            Py_UCS4 c = PyUnicode_READ(kind, data, bare - 1);
            if (c != ',' && c != '.' && (c < '0' || c > '9'))
                break;
        }
        if (bare != end && (bare == 0 || !is_alnum(PyUnicode_READ(kind, data, bare - 1))))
            end = bare;
    }
    return rstrip_trail(kind, data, end);
}

PyDoc_STRVAR(exact_key_doc,
"exact_key(key)\n"
"--\n\n"
"lexicon.exact_key: ``key`` without trailing punctuation or a trailing count. Returns\n"
"NotImplemented when ``key`` is not an exact str.");

static PyObject *exact_key(PyObject *module, PyObject *key)
{
    (void)module;
    if (!PyUnicode_CheckExact(key))
        Py_RETURN_NOTIMPLEMENTED;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(key) < 0)
        return NULL;
#endif
    Py_ssize_t end = exact_key_length(PyUnicode_KIND(key), PyUnicode_DATA(key), PyUnicode_GET_LENGTH(key));
    return PyUnicode_Substring(key, 0, end);
}

PyDoc_STRVAR(lexicon_match_doc,
"lexicon_match(key, tables, full_line_max)\n"
"--\n\n"
"lexicon.Lexicon.python_match: the hits of ``key``, strongest first. ``tables`` is the tuple\n"
"``(exact, prefix, contains_by_first, firsts, lasts, offers, build_offer, hit_of)``: the entries\n"
"of the exact phrase exact_key(key) (a dict of str to a list or tuple), then those prefix_hits\n"
"finds in prefix's bucket of key[:1] (a dict), those contains_hits finds with contains_by_first,\n"
"and those regex_hits finds in the items of the key's offer (lexicon._RegexDispatch._offer, made\n"
"with the frozensets firsts and lasts and ``len(key) > full_line_max``) in the dict offers, or\n"
"build_offer(offer) when it is not there. Each entry gives the hit hit_of[id(entry)] (a dict of\n"
"int to hits), stable-sorted by descending ``weight``. Returns NotImplemented when ``key`` is not\n"
"an exact str, a loop hands its call back, an entry has no hit or two hits or more hold a weight\n"
"that is not a float or is NaN.");

/* The offer of lexicon._RegexDispatch._offer: (first if first in firsts else "", first.isdigit(),
 * first.isspace(), long, last if last in lasts else "0" for a digit, " " for white space or ""),
 * first and last the key's first and last characters or "" (first and last: new references, used
 * up), or NULL with an exception set. */
static PyObject *offer_of(PyObject *first, PyObject *last, PyObject *firsts, PyObject *lasts, int is_long)
{
    PyObject *offer = NULL;
    if (first == NULL || last == NULL)
        goto done;
    Py_UCS4 f = PyUnicode_GET_LENGTH(first) ? PyUnicode_READ_CHAR(first, 0) : 0;
    int digit = f && Py_UNICODE_ISDIGIT(f), space = f && Py_UNICODE_ISSPACE(f);
    int in = PySet_Contains(firsts, first);
    if (in == 0)
        Py_SETREF(first, PyUnicode_New(0, 0));
    if (in < 0 || first == NULL)
        goto done;
    in = PySet_Contains(lasts, last);
    if (in == 0) {
        Py_UCS4 c = PyUnicode_GET_LENGTH(last) ? PyUnicode_READ_CHAR(last, 0) : 0;
        Py_SETREF(last, c && Py_UNICODE_ISDIGIT(c) ? PyUnicode_FromOrdinal('0')
                        : c && Py_UNICODE_ISSPACE(c) ? PyUnicode_FromOrdinal(' ')
                                                      : PyUnicode_New(0, 0));
    }
    if (in < 0 || last == NULL)
        goto done;
    offer = PyTuple_Pack(5, first, digit ? Py_True : Py_False, space ? Py_True : Py_False,
                         is_long ? Py_True : Py_False, last);
done:
    Py_XDECREF(first);
    Py_XDECREF(last);
    return offer;
}

/* Appends the entries of a list or tuple to out: 0, -1 with an exception set. */
static int extend_with(PyObject *out, PyObject *entries)
{
    for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(entries); j++)
        if (PyList_Append(out, PySequence_Fast_GET_ITEM(entries, j)) < 0)
            return -1;
    return 0;
}

/* The entries in out replaced by their hits of hit_of (by the entry's id), then stable-sorted by
 * descending weight: 0; 1 when an entry has no hit or a weight to compare is not a float or is
 * NaN (the call goes back to Python); -1 with an exception set. */
static int hits_in_order(PyObject *out, PyObject *hit_of)
{
    const Py_ssize_t n = PyList_GET_SIZE(out);
    PyObject **items = ((PyListObject *)out)->ob_item; /* out is the caller's alone: nothing resizes it */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *id = PyLong_FromVoidPtr(items[i]);
        if (id == NULL)
            return -1;
        PyObject *hit = PyDict_GetItemWithError(hit_of, id); /* borrowed; an int key runs no Python code */
        Py_DECREF(id);
        if (hit == NULL)
            return PyErr_Occurred() ? -1 : 1;
        Py_SETREF(items[i], Py_NewRef(hit));
    }
    if (n < 2)
        return 0;
    double small[8], *w = n <= 8 ? small : PyMem_New(double, n);
    if (w == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int r = 0;
    for (Py_ssize_t i = 0; i < n && r == 0; i++) {
        PyObject *weight = PyObject_GetAttrString(items[i], "weight");
        if (weight == NULL)
            r = -1;
        else if (!PyFloat_CheckExact(weight) || isnan(w[i] = PyFloat_AS_DOUBLE(weight)))
            r = 1; /* Python's sort compares other numbers, and NaN, its own way */
        Py_XDECREF(weight);
    }
    /* An insertion sort (a few hits): each goes before those of lower weight, after equal ones. */
    for (Py_ssize_t i = 1; i < n && r == 0; i++) {
        PyObject *hit = items[i];
        double x = w[i];
        Py_ssize_t j = i;
        for (; j > 0 && w[j - 1] < x; j--) {
            items[j] = items[j - 1];
            w[j] = w[j - 1];
        }
        items[j] = hit;
        w[j] = x;
    }
    if (w != small)
        PyMem_Free(w);
    return r;
}

static PyObject *lexicon_match(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    PyObject *t = nargs == 3 ? args[1] : NULL;
    int fits = t != NULL && PyTuple_CheckExact(t) && PyTuple_GET_SIZE(t) == 8 && PyLong_CheckExact(args[2]);
    for (int i = 0; fits && i < 8; i++) {
        PyObject *v = PyTuple_GET_ITEM(t, i);
        fits = i == 3 || i == 4 ? PyAnySet_CheckExact(v) : i == 6 ? PyCallable_Check(v) : PyDict_CheckExact(v);
    }
    if (nargs != 3 || !fits) {
        PyErr_SetString(PyExc_TypeError, "lexicon_match takes (key, tables, full_line_max): tables a tuple of "
                                         "(dict, dict, dict, frozenset, frozenset, dict, callable, dict), an int");
        return NULL;
    }
    PyObject *key = args[0];
    if (!PyUnicode_CheckExact(key))
        Py_RETURN_NOTIMPLEMENTED;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(key) < 0)
        return NULL;
#endif
    Py_ssize_t full_line_max = PyLong_AsSsize_t(args[2]);
    if (full_line_max == -1 && PyErr_Occurred())
        return NULL;
    PyObject *exact = PyTuple_GET_ITEM(t, 0), *prefix = PyTuple_GET_ITEM(t, 1), *contains = PyTuple_GET_ITEM(t, 2);
    PyObject *firsts = PyTuple_GET_ITEM(t, 3), *lasts = PyTuple_GET_ITEM(t, 4), *offers = PyTuple_GET_ITEM(t, 5);
    PyObject *build = PyTuple_GET_ITEM(t, 6), *hit_of = PyTuple_GET_ITEM(t, 7);
    Key k = {key, PyUnicode_KIND(key), PyUnicode_DATA(key), PyUnicode_GET_LENGTH(key), 0, {0}, {0}};
    const Py_ssize_t n = k.n;
    PyObject *out = PyList_New(0), *first = NULL, *offer = NULL, *items = NULL;
    int r = -1;
    if (out == NULL)
        return NULL;
    /* Nothing runs Python code before build_offer and the searches (exact str keys hash and
     * compare in C), so the tables read before them cannot change under the call. */
    PyObject *bare = PyUnicode_Substring(key, 0, exact_key_length(k.kind, k.data, n));
    if (bare == NULL)
        goto done;
    PyObject *entries = PyDict_GetItemWithError(exact, bare); /* borrowed */
    Py_DECREF(bare);
    if (entries == NULL ? PyErr_Occurred() != NULL : (!PyList_CheckExact(entries) && !PyTuple_CheckExact(entries)))
        goto bad_if_no_error;
    if (entries != NULL && extend_with(out, entries) < 0)
        goto done;
    if ((first = PyUnicode_Substring(key, 0, n > 0)) == NULL)
        goto done;
    PyObject *bucket = PyDict_GetItemWithError(prefix, first); /* borrowed */
    if (bucket == NULL ? PyErr_Occurred() != NULL : (!PyList_CheckExact(bucket) && !PyTuple_CheckExact(bucket)))
        goto bad_if_no_error;
    if (bucket != NULL && (r = prefix_loop(key, bucket, out, "lexicon_match")) != 0)
        goto done;
    if ((r = contains_loop(key, contains, out, "lexicon_match")) != 0)
        goto done;
    r = -1;
    PyObject *last = PyUnicode_Substring(key, n > 0 ? n - 1 : 0, n);
    offer = offer_of(Py_NewRef(first), last, firsts, lasts, n > full_line_max);
    if (offer == NULL)
        goto done;
    items = Py_XNewRef(PyDict_GetItemWithError(offers, offer)); /* build_offer and the searches may change offers */
    if (items == NULL && (PyErr_Occurred() || (items = PyObject_CallOneArg(build, offer)) == NULL))
        goto done;
    if (!PyList_CheckExact(items) && !PyTuple_CheckExact(items)) {
        PyErr_SetString(PyExc_TypeError, "lexicon_match: an offer's items are not a tuple or a list");
        goto done;
    }
    if (regex_loop(&k, items, out, "lexicon_match") < 0)
        goto done;
    r = hits_in_order(out, hit_of);
    goto done;
bad_if_no_error:
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_TypeError, "lexicon_match: the entries of a phrase are not a list or tuple");
done:
    Py_XDECREF(first);
    Py_XDECREF(offer);
    Py_XDECREF(items);
    if (r != 0)
        Py_CLEAR(out);
    return r == 0 ? out : r > 0 ? Py_NewRef(Py_NotImplemented) : NULL;
}

/* ---- word_lists, continued ------------------------------------------------------------------- */

ALWAYS_INLINE Py_ssize_t count_runs(const int kind, const void *data, Py_ssize_t n)
{
    Py_ssize_t runs = 0;
    int inside = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int w = is_word(PyUnicode_READ(kind, data, i));
        runs += w && !inside;
        inside = w;
    }
    return runs;
}

/* The \w+ runs of an ASCII str, lower-cased (which is str.casefold on ASCII). */
static PyObject *ascii_runs(PyObject *text)
{
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(count_runs(PyUnicode_1BYTE_KIND, s, n));
    if (out == NULL)
        return NULL;
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < n;) {
        if (!is_word(s[i])) {
            i++;
            continue;
        }
        Py_ssize_t j = i + 1;
        while (j < n && is_word(s[j]))
            j++;
        PyObject *run;
        if (j - i == 1)
            run = PyUnicode_FromOrdinal(s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]);
        else {
            run = PyUnicode_New(j - i, 127);
            if (run != NULL) {
                Py_UCS1 *r = PyUnicode_1BYTE_DATA(run);
                for (Py_ssize_t m = i; m < j; m++)
                    r[m - i] = s[m] >= 'A' && s[m] <= 'Z' ? s[m] | 0x20 : s[m];
            }
        }
        if (run == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, k++, run);
        i = j;
    }
    return out;
}

ALWAYS_INLINE int fill_runs(const int kind, const void *data, Py_ssize_t n, PyObject *folded, PyObject *out)
{
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < n;) {
        if (!is_word(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t j = i + 1;
        while (j < n && is_word(PyUnicode_READ(kind, data, j)))
            j++;
        PyObject *run = PyUnicode_Substring(folded, i, j);
        if (run == NULL)
            return -1;
        PyList_SET_ITEM(out, k++, run);
        i = j;
    }
    return 0;
}

/* The \w+ runs of folded (a str), as re.findall gives them. */
static PyObject *runs_of(PyObject *folded)
{
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(folded) < 0)
        return NULL;
#endif
    const int kind = PyUnicode_KIND(folded);
    const void *data = PyUnicode_DATA(folded);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(folded);
    Py_ssize_t count;
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        count = count_runs(PyUnicode_1BYTE_KIND, data, n);
        break;
    case PyUnicode_2BYTE_KIND:
        count = count_runs(PyUnicode_2BYTE_KIND, data, n);
        break;
    default:
        count = count_runs(PyUnicode_4BYTE_KIND, data, n);
        break;
    }
    PyObject *out = PyList_New(count);
    if (out == NULL)
        return NULL;
    int r;
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        r = fill_runs(PyUnicode_1BYTE_KIND, data, n, folded, out);
        break;
    case PyUnicode_2BYTE_KIND:
        r = fill_runs(PyUnicode_2BYTE_KIND, data, n, folded, out);
        break;
    default:
        r = fill_runs(PyUnicode_4BYTE_KIND, data, n, folded, out);
        break;
    }
    if (r < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

PyDoc_STRVAR(word_lists_doc,
"word_lists(texts, limit)\n"
"--\n\n"
"duplicates.dup_tokens of the first ``limit`` characters of each of ``texts`` (a list or\n"
"tuple): the ``\\w+`` runs (sre's \\w) of its str.casefold, a list of lists. Returns\n"
"NotImplemented when a text is not an exact str.");

static PyObject *word_lists(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "word_lists takes 2 arguments");
        return NULL;
    }
    PyObject *texts = args[0];
    Py_ssize_t limit = PyLong_AsSsize_t(args[1]);
    if (limit == -1 && PyErr_Occurred())
        return NULL;
    if (limit < 0) {
        PyErr_SetString(PyExc_ValueError, "word_lists: limit must not be negative");
        return NULL;
    }
    if (!PyList_CheckExact(texts) && !PyTuple_CheckExact(texts)) {
        PyErr_SetString(PyExc_TypeError, "word_lists: texts must be a tuple or a list");
        return NULL;
    }
    /* str.casefold runs no Python code, so the sequence cannot change under the loop. */
    Py_ssize_t count = PySequence_Fast_GET_SIZE(texts);
    PyObject **items = PySequence_Fast_ITEMS(texts);
    for (Py_ssize_t i = 0; i < count; i++)
        if (!PyUnicode_CheckExact(items[i]))
            Py_RETURN_NOTIMPLEMENTED;
    PyObject *casefold = PyObject_GetAttrString((PyObject *)&PyUnicode_Type, "casefold");
    PyObject *out = casefold ? PyList_New(count) : NULL;
    if (out == NULL) {
        Py_XDECREF(casefold);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *text = items[i], *runs = NULL;
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(text) < 0)
            goto error;
#endif
        text = PyUnicode_GET_LENGTH(text) > limit ? PyUnicode_Substring(text, 0, limit) : Py_NewRef(text);
        if (text == NULL)
            goto error;
        if (PyUnicode_IS_ASCII(text))
            runs = ascii_runs(text);
        else {
            PyObject *folded = PyObject_Vectorcall(casefold, &text, 1, NULL);
            if (folded != NULL && !PyUnicode_CheckExact(folded)) {
                PyErr_SetString(PyExc_TypeError, "word_lists: str.casefold did not give a str");
                Py_CLEAR(folded);
            }
            runs = folded ? runs_of(folded) : NULL;
            Py_XDECREF(folded);
        }
        Py_DECREF(text);
        if (runs == NULL)
            goto error;
        PyList_SET_ITEM(out, i, runs);
    }
    Py_DECREF(casefold);
    return out;
error:
    Py_DECREF(casefold);
    Py_DECREF(out);
    return NULL;
}

/* ---- verdicts -------------------------------------------------------------------------------- */

PyDoc_STRVAR(verdicts_doc,
"verdicts(cls, slots, templates, not_noise)\n"
"--\n\n"
"context.python_verdicts_from: one new ``cls`` instance per template, its seven object slots (the\n"
"member descriptors in the tuple ``slots``, in the order of Verdict's fields) filled from the\n"
"template ``(kind, score, reasons, scores, header, locked)``: the kind str and the score float\n"
"themselves, a new list of the reasons tuple, a copy of the scores dict, the two bools, and the\n"
"noise flag: whether the kind is not in the frozenset ``not_noise`` (Verdict.__post_init__'s\n"
"test). The records and their reasons lists are not tracked by the cycle collector. Returns\n"
"NotImplemented when ``templates`` is not a list of such tuples of exactly those types.");

static PyObject *verdicts(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "verdicts takes 4 arguments");
        return NULL;
    }
    Py_ssize_t off[7];
    if (member_offsets(args[0], args[1], 7, off, "verdicts") < 0)
        return NULL;
    PyTypeObject *cls = (PyTypeObject *)args[0];
    PyObject *templates = args[2], *not_noise = args[3];
    if (!PyFrozenSet_CheckExact(not_noise)) {
        PyErr_SetString(PyExc_TypeError, "verdicts: not_noise must be a frozenset");
        return NULL;
    }
    if (!PyList_CheckExact(templates))
        Py_RETURN_NOTIMPLEMENTED;
    Py_ssize_t n = PyList_GET_SIZE(templates);
    /* Checked before anything is made; nothing below runs Python code (dict copies of exact
     * dicts, list building and looking an exact str up in a frozenset do not), so the list cannot
     * change under the loop. */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(templates, i);
        if (!PyTuple_CheckExact(t) || PyTuple_GET_SIZE(t) != 6 || !PyUnicode_CheckExact(PyTuple_GET_ITEM(t, 0)) ||
            !PyFloat_CheckExact(PyTuple_GET_ITEM(t, 1)) || !PyTuple_CheckExact(PyTuple_GET_ITEM(t, 2)) ||
            !PyDict_CheckExact(PyTuple_GET_ITEM(t, 3)) || !PyBool_Check(PyTuple_GET_ITEM(t, 4)) ||
            !PyBool_Check(PyTuple_GET_ITEM(t, 5)))
            Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(templates, i);
        int content = PySet_Contains(not_noise, PyTuple_GET_ITEM(t, 0));
        PyObject *reasons = content >= 0 ? PySequence_List(PyTuple_GET_ITEM(t, 2)) : NULL;
        PyObject *scores = reasons ? PyDict_Copy(PyTuple_GET_ITEM(t, 3)) : NULL;
        PyObject *v = scores ? cls->tp_alloc(cls, 0) : NULL;
        if (v == NULL) {
            Py_XDECREF(reasons);
            Py_XDECREF(scores);
            Py_DECREF(out);
            return NULL;
        }
        *slot(v, off[0]) = Py_NewRef(PyTuple_GET_ITEM(t, 0));
        *slot(v, off[1]) = Py_NewRef(PyTuple_GET_ITEM(t, 1));
        *slot(v, off[2]) = reasons;
        *slot(v, off[3]) = scores;
        *slot(v, off[4]) = Py_NewRef(PyTuple_GET_ITEM(t, 4));
        *slot(v, off[5]) = Py_NewRef(PyTuple_GET_ITEM(t, 5));
        *slot(v, off[6]) = Py_NewRef(content ? Py_False : Py_True);
        /* Neither the record nor its reasons list is tracked by the cycle collector: they hold
         * strs, a float, bools and a dict of strs to floats (which CPython leaves untracked
         * itself), and the pipeline only adds strs to the reasons. A page's hundreds of records
         * then do not push each collection over the whole heap; reference counting frees them. */
        PyObject_GC_UnTrack(reasons);
        PyObject_GC_UnTrack(v);
        PyList_SET_ITEM(out, i, v);
    }
    return out;
}

/* ---- line_templates -------------------------------------------------------------------------- */

/* The LineFeatures slots line_templates reads: its descriptors come in this order, and their
 * names are checked against these. */
enum {
    LT_KEY, LT_WORDS, LT_STOP_RATIO, LT_CAP_RATIO, LT_DIGIT_RATIO, LT_PUNCT_RATIO, LT_ENDS_SENTENCE, LT_CJK,
    LT_BLANK, N_LT
};
static const char *const lt_names[N_LT] = {"key",         "words",       "stop_ratio",    "cap_ratio", "digit_ratio",
                                           "punct_ratio", "ends_sentence", "cjk",         "blank"};

typedef struct {
    Py_ssize_t off[N_LT];
    PyObject *lex_memo, *match, *shape_table, *blank, *first_chars, *is_byline, *with_hits;
    PyObject *tables, *full_line_max; /* lexicon_match's, to run it without match; NULL: call match */
    Py_ssize_t memo_size;
} LTArgs;

/* Lexicon.match(key) on a key its memo lacks, in C: the memo cleared when it holds memo_size keys,
 * then lexicon_match's hits stored as a tuple; match(key) itself when lexicon_match hands the
 * call back. A new reference, or NULL with an exception set. */
static PyObject *match_missing(const LTArgs *a, PyObject *key)
{
    if (a->tables == NULL)
        return PyObject_Vectorcall(a->match, &key, 1, NULL);
    if (PyDict_GET_SIZE(a->lex_memo) >= a->memo_size)
        PyDict_Clear(a->lex_memo);
    PyObject *margs[3] = {key, a->tables, a->full_line_max};
    PyObject *found = lexicon_match(NULL, margs, 3);
    if (found == NULL)
        return NULL;
    if (found == Py_NotImplemented) {
        Py_DECREF(found);
        return PyObject_Vectorcall(a->match, &key, 1, NULL);
    }
    PyObject *hits = PyList_AsTuple(found);
    Py_DECREF(found);
    if (hits != NULL && PyDict_SetItem(a->lex_memo, key, hits) < 0)
        Py_CLEAR(hits);
    return hits;
}

/* Whether the first character of text that is not white space (str.lstrip's, Py_UNICODE_ISSPACE)
 * is one of first_chars: shape.is_byline's first test, which turns most lines away. */
static int opens_byline(PyObject *text, PyObject *first_chars)
{
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t i = 0;
    while (i < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
        i++;
    if (i == n)
        return 0;
    const Py_UCS4 c = PyUnicode_READ(kind, data, i);
    const int first_kind = PyUnicode_KIND(first_chars);
    const void *first = PyUnicode_DATA(first_chars);
    for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(first_chars); j++)
        if (PyUnicode_READ(first_kind, first, j) == c)
            return 1;
    return 0;
}

/* decide._verdict_template of one line not in the document memo: 1 with a new reference in *out,
 * 0 to hand the call back (a field of a type it does not read, a lexicon memo value that is not
 * a tuple), -1 with an exception set. The caller holds f and text. */
static int line_template(const LTArgs *a, PyObject *f, PyObject *text, PyObject **out)
{
    PyObject *blank = *slot(f, a->off[LT_BLANK]);
    if (blank == Py_True) {
        *out = Py_NewRef(a->blank);
        return 1;
    }
    PyObject *key = *slot(f, a->off[LT_KEY]);
    if (blank != Py_False || key == NULL || !PyUnicode_CheckExact(key))
        return 0;
    /* Lexicon.match: its memo's value, or the method itself on a miss (it fills the memo). */
    Py_INCREF(key);
    PyObject *hits = PyDict_GetItemWithError(a->lex_memo, key); /* borrowed */
    if (hits != NULL && hits != Py_None)
        Py_INCREF(hits);
    else
        hits = PyErr_Occurred() ? NULL : match_missing(a, key);
    Py_DECREF(key);
    if (hits == NULL)
        return -1;
    if (!PyTuple_CheckExact(hits)) {
        Py_DECREF(hits);
        return 0;
    }
    if (PyTuple_GET_SIZE(hits) > 0) {
        PyObject *call[3] = {f, text, hits};
        *out = PyObject_Vectorcall(a->with_hits, call, 3, NULL);
        Py_DECREF(hits);
        return *out != NULL ? 1 : -1;
    }
    Py_DECREF(hits);
    /* shape.fired, on the same doubles as Python compares. */
    double v[N_LT];
    for (int k = LT_WORDS; k <= LT_CJK; k++)
        if (!number(*slot(f, a->off[k]), &v[k]))
            return 0;
    int bits = 0;
    if (v[LT_WORDS] <= 15 && opens_byline(text, a->first_chars)) {
        PyObject *said = PyObject_Vectorcall(a->is_byline, &text, 1, NULL);
        int byline = said != NULL ? PyObject_IsTrue(said) : -1;
        Py_XDECREF(said);
        if (byline < 0)
            return -1;
        bits = byline;
    }
    if (v[LT_WORDS] <= 6 && !truth(v[LT_ENDS_SENTENCE]) && v[LT_STOP_RATIO] == 0 && v[LT_CAP_RATIO] >= 0.99 &&
        !truth(v[LT_CJK]))
        bits |= 2;
    if (v[LT_WORDS] <= 8 && v[LT_DIGIT_RATIO] >= 0.4)
        bits |= 4;
    if (v[LT_WORDS] <= 3 && v[LT_PUNCT_RATIO] >= 0.5)
        bits |= 8;
    *out = Py_NewRef(PyTuple_GET_ITEM(a->shape_table, bits));
    return 1;
}

PyDoc_STRVAR(line_templates_doc,
"line_templates(feats, texts, made, lex_memo, match, shape_table, blank, first_chars, is_byline,\n"
"               with_hits, feat_cls, feat_slots, direct=None)\n"
"--\n\n"
"decide.python_line_templates: the template of each line, from the dict ``made`` (text to\n"
"template) or, when missing there (or None), decided and stored in it: ``blank`` for a blank\n"
"line; ``with_hits(f, text, hits)`` for a line whose key has lexicon hits (the value of the dict\n"
"``lex_memo``, or ``match(key)`` when it holds none); otherwise ``shape_table[bits]`` of\n"
"shape.fired's bits, where ``is_byline(text)`` is called for a line of at most 15 words whose\n"
"first character that is not white space is in the str ``first_chars``. ``feat_slots``: the\n"
"member descriptors of ``feat_cls`` named key, words, stop_ratio, cap_ratio, digit_ratio,\n"
"punct_ratio, ends_sentence, cjk, blank. Returns NotImplemented when the inputs are not the\n"
"types it reads (lists, dicts, exact str texts and keys, ``feat_cls`` records of bool, int and\n"
"float fields, tuples of hits); what it stored in ``made`` by then is what Python would.\n"
"``direct``, ``(tables, full_line_max, memo_size)``, runs Lexicon.match in C for a key\n"
"``lex_memo`` lacks: the memo cleared when it holds ``memo_size`` keys, then\n"
"lexicon_match(key, tables, full_line_max) stored there as a tuple (``match(key)`` when that\n"
"hands the call back).");

static PyObject *line_templates(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 12 && nargs != 13) {
        PyErr_SetString(PyExc_TypeError, "line_templates takes 12 or 13 arguments");
        return NULL;
    }
    LTArgs a;
    a.tables = a.full_line_max = NULL;
    a.memo_size = 0;
    if (nargs == 13 && args[12] != Py_None) {
        PyObject *direct = args[12];
        if (!PyTuple_CheckExact(direct) || PyTuple_GET_SIZE(direct) != 3 ||
            !PyLong_CheckExact(PyTuple_GET_ITEM(direct, 1)) || !PyLong_CheckExact(PyTuple_GET_ITEM(direct, 2))) {
            PyErr_SetString(PyExc_TypeError, "line_templates: direct must be None or (tables, full_line_max, memo_size)");
            return NULL;
        }
        a.tables = PyTuple_GET_ITEM(direct, 0);
        a.full_line_max = PyTuple_GET_ITEM(direct, 1);
        a.memo_size = PyLong_AsSsize_t(PyTuple_GET_ITEM(direct, 2));
        if (a.memo_size == -1 && PyErr_Occurred())
            return NULL;
    }
    if (member_offsets(args[10], args[11], N_LT, a.off, "line_templates") < 0)
        return NULL;
    for (Py_ssize_t k = 0; k < N_LT; k++)
        if (strcmp(((PyMemberDescrObject *)PyTuple_GET_ITEM(args[11], k))->d_member->name, lt_names[k]) != 0) {
            PyErr_Format(PyExc_TypeError, "line_templates: descriptor %zd is not the slot %s", k, lt_names[k]);
            return NULL;
        }
    PyTypeObject *cls = (PyTypeObject *)args[10];
    PyObject *feats = args[0], *texts = args[1], *made = args[2];
    a.lex_memo = args[3];
    a.match = args[4];
    a.shape_table = args[5];
    a.blank = args[6];
    a.first_chars = args[7];
    a.is_byline = args[8];
    a.with_hits = args[9];
    if (!PyTuple_CheckExact(a.shape_table) || PyTuple_GET_SIZE(a.shape_table) != 16 ||
        !PyUnicode_CheckExact(a.first_chars) || !PyCallable_Check(a.match) || !PyCallable_Check(a.is_byline) ||
        !PyCallable_Check(a.with_hits)) {
        PyErr_SetString(PyExc_TypeError,
                        "line_templates: expected a tuple of 16 templates, a str of characters and three callables");
        return NULL;
    }
    if (PyUnicode_READY(a.first_chars) < 0)
        return NULL;
    if (!PyList_CheckExact(feats) || !PyList_CheckExact(texts) || !PyDict_CheckExact(made) ||
        !PyDict_CheckExact(a.lex_memo))
        Py_RETURN_NOTIMPLEMENTED;
    /* The callbacks run Python code, which may change the lists: their lengths are read at each
     * line (as zip's list iterators do), and each line's record and text are held while in use. */
    const Py_ssize_t n = Py_MIN(PyList_GET_SIZE(feats), PyList_GET_SIZE(texts));
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    Py_ssize_t i = 0;
    for (; i < PyList_GET_SIZE(feats) && i < PyList_GET_SIZE(texts); i++) {
        PyObject *f = PyList_GET_ITEM(feats, i), *text = PyList_GET_ITEM(texts, i);
        if (Py_TYPE(f) != cls || !PyUnicode_CheckExact(text))
            goto hand_back;
        if (PyUnicode_READY(text) < 0)
            goto error;
        Py_INCREF(f);
        Py_INCREF(text);
        PyObject *got = PyDict_GetItemWithError(made, text); /* borrowed */
        int r = 1;
        if (got != NULL && got != Py_None)
            Py_INCREF(got);
        else if (PyErr_Occurred())
            r = -1;
        else if ((r = line_template(&a, f, text, &got)) == 1 && PyDict_SetItem(made, text, got) < 0) {
            Py_DECREF(got);
            r = -1;
        }
        Py_DECREF(f);
        Py_DECREF(text);
        if (r < 0)
            goto error;
        if (r == 0)
            goto hand_back;
        if (i < n)
            PyList_SET_ITEM(out, i, got);
        else {
            r = PyList_Append(out, got);
            Py_DECREF(got);
            if (r < 0)
                goto error;
        }
    }
    if (i < n) { /* the lists were shortened under the loop */
        PyObject *cut = PyList_GetSlice(out, 0, i);
        Py_DECREF(out);
        return cut;
    }
    return out;
hand_back:
    Py_DECREF(out);
    Py_RETURN_NOTIMPLEMENTED;
error:
    Py_DECREF(out);
    return NULL;
}

/* ---- repeats --------------------------------------------------------------------------------- */

/* The loop of duplicates.find_repeats (duplicates.python_repeats) over the lines' words: given as
 * token lists (repeats), or cut here from the texts themselves (repeats_of, which makes no str
 * per word). Python's dicts of joined keys and of first and last words become open-addressing
 * tables of line positions here, hashed from the words' hashes as a tuple's hash is: the joined
 * key of a line is its word list, as no word holds a space (repeats hands a token list with one
 * back to Python; the \w runs repeats_of cuts hold none). Equal hashes are confirmed by comparing
 * the words' code points, so the hashes only decide how fast it runs, never what it finds. Of the
 * lines under a head or tail only the latest `window` are ever offered, so each line links to the
 * one stored before it under the same key instead of keeping the lists.
 *
 * No Python code runs from the checks to the end of the loop (exact str hash, compare, slicing
 * and str.casefold run in C, and nothing allocates a tracked Python object, so no garbage
 * collection runs either): the lists cannot change under it. The result list is made afterwards. */

/* A word: `len` code points of one kind from `data`, and its hash. Equal words hash equal; they
 * may be held in different kinds (repeats_of's words point into folded texts of any kind). */
typedef struct {
    const void *data;
    Py_ssize_t len;
    uint64_t hash;
    int kind;
} Tok;

typedef struct {
    const Tok *tok;      /* the line's words */
    Py_ssize_t n;        /* how many */
    uint64_t whole;      /* hash of all of them (the joined key) */
    uint64_t head, tail; /* of the first and the last `anchor` (lines of near_min_tokens or more) */
} RLine;

typedef struct {
    Py_ssize_t near_min, anchor, window;
    double similarity;
} RParams;

#define XX_P1 11400714785074694791ULL
#define XX_P2 14029467366897019727ULL
#define XX_P5 2870177450012600261ULL

/* CPython's tuple hash step (xxHash's round) over the words' hashes. */
ALWAYS_INLINE uint64_t mix(uint64_t acc, const Tok *tok)
{
    acc += tok->hash * XX_P2;
    acc = (acc << 31) | (acc >> 33);
    return acc * XX_P1;
}

static uint64_t hash_run(const Tok *tok, Py_ssize_t n)
{
    uint64_t acc = XX_P5;
    for (Py_ssize_t k = 0; k < n; k++)
        acc = mix(acc, &tok[k]);
    return acc ^ ((uint64_t)n * XX_P5);
}

/* Equal words: the same hash and length and the same code points. Words of one kind compare
 * their code units at once; repeats' words are exact strs, whose kind is canonical (PEP 393), so
 * for them a kind apart means a code point apart, as the loop finds. */
ALWAYS_INLINE int tok_eq(const Tok *a, const Tok *b)
{
    if (a->hash != b->hash || a->len != b->len)
        return 0;
    if (a->kind == b->kind)
        return a->data == b->data || memcmp(a->data, b->data, (size_t)a->len * (size_t)a->kind) == 0;
    for (Py_ssize_t k = 0; k < a->len; k++)
        if (PyUnicode_READ(a->kind, a->data, k) != PyUnicode_READ(b->kind, b->data, k))
            return 0;
    return 1;
}

static int run_eq(const Tok *a, const Tok *b, Py_ssize_t n)
{
    for (Py_ssize_t k = 0; k < n; k++)
        if (!tok_eq(&a[k], &b[k]))
            return 0;
    return 1;
}

/* A table of line positions (+1; 0 is an empty slot), of a power-of-two size. */
typedef struct {
    Py_ssize_t *slot;
    size_t mask;
} RTable;

static int table_new(RTable *t, Py_ssize_t count)
{
    size_t size = 8;
    while (size < 2 * (size_t)count + 1)
        size <<= 1;
    t->slot = PyMem_Calloc(size, sizeof(Py_ssize_t));
    t->mask = size - 1;
    return t->slot ? 0 : -1;
}

/* The multiset of a line's words, for Counter(a) & Counter(b). */
typedef struct {
    const Tok *tok;
    Py_ssize_t count;
} Bag;

typedef struct {
    Bag *bag;
    size_t size;
    double similarity;
} Scratch;

/* duplicates._similar, the comparisons made on doubles as Python makes them (an int below 2**53
 * against a float); it stops once the outcome is sure. -1 when out of memory. */
static int similar(const RLine *a, const RLine *b, Scratch *s)
{
    Py_ssize_t longer = a->n > b->n ? a->n : b->n, shorter = a->n < b->n ? a->n : b->n;
    double need = s->similarity * (double)longer;
    if ((double)shorter < need)
        return 0;
    size_t size = 8;
    while (size < 2 * (size_t)a->n + 1)
        size <<= 1;
    if (size > s->size) {
        PyMem_Free(s->bag);
        s->bag = PyMem_Malloc(size * sizeof(Bag));
        s->size = s->bag ? size : 0;
        if (s->bag == NULL)
            return -1;
    }
    memset(s->bag, 0, size * sizeof(Bag));
    size_t mask = size - 1;
    for (Py_ssize_t k = 0; k < a->n; k++) {
        const Tok *tok = &a->tok[k];
        size_t h = (size_t)tok->hash & mask;
        while (s->bag[h].tok != NULL && !tok_eq(s->bag[h].tok, tok))
            h = (h + 1) & mask;
        s->bag[h].tok = tok;
        s->bag[h].count++;
    }
    Py_ssize_t shared = 0;
    for (Py_ssize_t k = 0; k < b->n; k++) {
        if ((double)shared >= need)
            return 1;
        if ((double)(shared + (b->n - k)) < need)
            return 0;
        const Tok *tok = &b->tok[k];
        size_t h = (size_t)tok->hash & mask;
        while (s->bag[h].tok != NULL && !tok_eq(s->bag[h].tok, tok))
            h = (h + 1) & mask;
        if (s->bag[h].tok != NULL && s->bag[h].count > 0) {
            s->bag[h].count--;
            shared++;
        }
    }
    return (double)shared >= need;
}

/* The slot of the table that holds the key of line i (its words from `from`, `len` of them,
 * hashed `hash` under `which`), or the empty slot where it goes. */
ALWAYS_INLINE size_t find_slot(const RTable *t, const RLine *lines, Py_ssize_t i, Py_ssize_t from, Py_ssize_t len,
                               int which, uint64_t hash)
{
    const RLine *me = &lines[i];
    size_t h = (size_t)(hash ^ (hash >> 29)) & t->mask;
    for (;; h = (h + 1) & t->mask) {
        Py_ssize_t at = t->slot[h];
        if (at == 0)
            return h;
        const RLine *o = &lines[at - 1];
        uint64_t oh = which == 0 ? o->whole : which == 1 ? o->head : o->tail;
        if (oh != hash)
            continue;
        if (which == 0 ? (o->n == len && run_eq(o->tok, me->tok, len))
                       : run_eq(which == 1 ? o->tok : o->tok + o->n - len, me->tok + from, len))
            return h;
    }
}

/* The loop itself, over lines whose words (tok, n) are set: for each line the position of the
 * earliest line it repeats or None, as a list (NULL with an exception set). */
static PyObject *repeat_lines(RLine *lines, Py_ssize_t n, const RParams *p)
{
    const Py_ssize_t near_min = p->near_min, anchor = p->anchor, window = p->window;
    Scratch scratch = {NULL, 0, p->similarity};
    Py_ssize_t *out = PyMem_Calloc(n ? (size_t)n : 1, sizeof(Py_ssize_t));
    Py_ssize_t *prev = PyMem_Calloc(2 * (size_t)n + 1, sizeof(Py_ssize_t)); /* by head, by tail */
    Py_ssize_t near_slots = window < n ? window : (n ? n : 1);
    Py_ssize_t *cand = PyMem_Calloc(2 * (size_t)near_slots, sizeof(Py_ssize_t));
    RTable exact = {NULL, 0}, heads = {NULL, 0}, tails = {NULL, 0};
    PyObject *result = NULL;
    Py_ssize_t nonblank = 0, near = 0;
    if (out == NULL || prev == NULL || cand == NULL)
        goto nomem;
    for (Py_ssize_t i = 0; i < n; i++) {
        RLine *l = &lines[i];
        if (l->n == 0)
            continue;
        nonblank++;
        l->whole = hash_run(l->tok, l->n);
        if (l->n >= near_min) {
            near++;
            l->head = hash_run(l->tok, anchor);
            l->tail = hash_run(l->tok + l->n - anchor, anchor);
        }
    }
    if (table_new(&exact, nonblank) < 0 || table_new(&heads, near) < 0 || table_new(&tails, near) < 0)
        goto nomem;

    for (Py_ssize_t i = 0; i < n; i++) {
        RLine *l = &lines[i];
        out[i] = -1;
        if (l->n == 0)
            continue;
        size_t e = find_slot(&exact, lines, i, 0, l->n, 0, l->whole);
        if (exact.slot[e]) {
            out[i] = exact.slot[e] - 1;
            continue;
        }
        exact.slot[e] = i + 1;
        if (l->n < near_min)
            continue;
        size_t hs = find_slot(&heads, lines, i, 0, anchor, 1, l->head);
        size_t ts = find_slot(&tails, lines, i, l->n - anchor, anchor, 2, l->tail);
        /* heads[head][-window:] + tails[tail][-window:], each oldest first */
        Py_ssize_t count = 0;
        for (int side = 0; side < 2; side++) {
            Py_ssize_t at = side == 0 ? heads.slot[hs] : tails.slot[ts], from = count;
            for (; at && count - from < window; at = prev[2 * (at - 1) + side])
                cand[count++] = at - 1;
            for (Py_ssize_t a = from, b = count - 1; a < b; a++, b--) {
                Py_ssize_t x = cand[a];
                cand[a] = cand[b];
                cand[b] = x;
            }
        }
        for (Py_ssize_t c = 0; c < count; c++) {
            Py_ssize_t j = cand[c];
            int r = similar(l, &lines[j], &scratch);
            if (r < 0)
                goto nomem;
            if (r) {
                out[i] = out[j] >= 0 ? out[j] : j;
                break;
            }
        }
        if (out[i] < 0) {
            prev[2 * i] = heads.slot[hs];
            heads.slot[hs] = i + 1;
            prev[2 * i + 1] = tails.slot[ts];
            tails.slot[ts] = i + 1;
        }
    }

    result = PyList_New(n);
    for (Py_ssize_t i = 0; result != NULL && i < n; i++) {
        PyObject *v = out[i] < 0 ? Py_NewRef(Py_None) : PyLong_FromSsize_t(out[i]);
        if (v == NULL)
            Py_CLEAR(result);
        else
            PyList_SET_ITEM(result, i, v);
    }
    goto done;
nomem:
    PyErr_NoMemory();
done:
    PyMem_Free(out);
    PyMem_Free(prev);
    PyMem_Free(cand);
    PyMem_Free(exact.slot);
    PyMem_Free(heads.slot);
    PyMem_Free(tails.slot);
    PyMem_Free(scratch.bag);
    return result;
}

/* The constants of the loop from args (near_min_tokens, near_similarity, anchor, window): 0, or
 * -1 with an exception set. */
static int repeat_params(PyObject *const *args, const char *who, RParams *p)
{
    if (!PyFloat_CheckExact(args[1])) {
        PyErr_Format(PyExc_TypeError, "%s: near_similarity must be a float", who);
        return -1;
    }
    p->near_min = PyLong_AsSsize_t(args[0]);
    p->anchor = PyLong_AsSsize_t(args[2]);
    p->window = PyLong_AsSsize_t(args[3]);
    if ((p->near_min == -1 || p->anchor == -1 || p->window == -1) && PyErr_Occurred())
        return -1;
    if (p->anchor < 1 || p->anchor > p->near_min || p->window < 1) {
        PyErr_Format(PyExc_ValueError, "%s: need 1 <= anchor <= near_min_tokens and window >= 1", who);
        return -1;
    }
    p->similarity = PyFloat_AS_DOUBLE(args[1]);
    return 0;
}

/* Whether a str holds a space: 1 or 0 (-1 with an exception set). */
ALWAYS_INLINE int has_space(PyObject *s)
{
    const Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (PyUnicode_KIND(s) == PyUnicode_1BYTE_KIND)
        return memchr(PyUnicode_DATA(s), ' ', (size_t)n) != NULL;
    Py_ssize_t at = PyUnicode_FindChar(s, ' ', 0, n, 1);
    return at == -2 ? -1 : at >= 0;
}

PyDoc_STRVAR(repeats_doc,
"repeats(token_lists, near_min_tokens, near_similarity, anchor, window)\n"
"--\n\n"
"The loop of duplicates.find_repeats over the lines' token lists (a list or tuple of lists of\n"
"str; an empty list is a blank line): for each line the position of the earliest line it\n"
"repeats, exactly or nearly, or None. Near repeats need ``near_min_tokens`` tokens (an int at\n"
"least ``anchor``) and a ``near_similarity`` (a float) share of the longer line's tokens in\n"
"common with one of the latest ``window`` lines stored under the same first ``anchor`` tokens,\n"
"then of those under the same last ones. Returns NotImplemented when a line is not an exact\n"
"list or a token not an exact str or one holds a space.");

static PyObject *repeats(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "repeats takes 5 arguments");
        return NULL;
    }
    PyObject *lists = args[0];
    if (!PyList_CheckExact(lists) && !PyTuple_CheckExact(lists)) {
        PyErr_SetString(PyExc_TypeError, "repeats: token_lists must be a tuple or a list");
        return NULL;
    }
    RParams params;
    if (repeat_params(args + 1, "repeats", &params) < 0)
        return NULL;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(lists);
    PyObject **items = PySequence_Fast_ITEMS(lists);
    size_t total = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyList_CheckExact(items[i]))
            Py_RETURN_NOTIMPLEMENTED;
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(items[i]); k++) {
            PyObject *tok = PyList_GET_ITEM(items[i], k);
            if (!PyUnicode_CheckExact(tok))
                Py_RETURN_NOTIMPLEMENTED;
#if PY_VERSION_HEX < 0x030C0000
            if (PyUnicode_READY(tok) < 0)
                return NULL;
#endif
            int space = has_space(tok);
            if (space < 0)
                return NULL;
            if (space)
                Py_RETURN_NOTIMPLEMENTED; /* the joined keys could then be equal for other lists */
            if (((PyASCIIObject *)tok)->hash == -1 && PyObject_Hash(tok) == -1) /* computed once, kept */
                return NULL;
        }
        total += (size_t)PyList_GET_SIZE(items[i]);
    }
    /* The words as Toks hashed by their own (randomised) str hashes; the strs are held by the
     * lists, which nothing changes until the loop ends. */
    RLine *lines = PyMem_Calloc(n ? (size_t)n : 1, sizeof(RLine));
    Tok *toks = PyMem_Malloc((total ? total : 1) * sizeof(Tok));
    PyObject *result = NULL;
    if (lines == NULL || toks == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Tok *t = toks;
    for (Py_ssize_t i = 0; i < n; i++) {
        lines[i].tok = t;
        lines[i].n = PyList_GET_SIZE(items[i]);
        for (Py_ssize_t k = 0; k < lines[i].n; k++, t++) {
            PyObject *tok = PyList_GET_ITEM(items[i], k);
            t->data = PyUnicode_DATA(tok);
            t->len = PyUnicode_GET_LENGTH(tok);
            t->hash = (uint64_t)((PyASCIIObject *)tok)->hash;
            t->kind = PyUnicode_KIND(tok);
        }
    }
    result = repeat_lines(lines, n, &params);
done:
    PyMem_Free(lines);
    PyMem_Free(toks);
    return result;
}

/* repeats_of's words: each a \w run (sre's \w) of a line's folded text, hashed from its code
 * points so that equal runs hash equal whatever the kind of the text they are cut from. The
 * hash is keyed by word_seed, taken from the process's (randomised) str hash when the module is
 * loaded, so which words collide is not known in advance; a collision costs only a comparison. */
static uint64_t word_seed = XX_P5;
#define WORD_K 0x9E3779B97F4A7C15ULL

ALWAYS_INLINE uint64_t word_step(uint64_t h, Py_UCS4 c) { return (h ^ c) * WORD_K; }

/* The end of a word's hash: its length, then murmur3's finaliser, so that the low bits the
 * tables index by depend on every code point. */
ALWAYS_INLINE uint64_t word_end(uint64_t h, Py_ssize_t len)
{
    h ^= (uint64_t)len;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 33);
}

/* The words cut so far (a growing array; lines keep positions in it, not pointers), and the
 * arena of lower-cased ASCII words, allocated once for the call at its greatest size, so words
 * may point into it. */
typedef struct {
    Tok *tok;
    Py_ssize_t count, room;
    Py_UCS1 *arena;
    Py_ssize_t used;
    uint64_t mask; /* and-ed with each word's hash (all ones but in tests, which make words collide) */
} Cutter;

ALWAYS_INLINE int push_word(Cutter *c, const void *data, Py_ssize_t len, uint64_t hash, int kind)
{
    if (c->count == c->room) {
        Py_ssize_t room = c->room ? 2 * c->room : 256;
        Tok *grown = (size_t)room <= PY_SSIZE_T_MAX / sizeof(Tok) ? PyMem_Realloc(c->tok, (size_t)room * sizeof(Tok)) : NULL;
        if (grown == NULL)
            return -1;
        c->tok = grown;
        c->room = room;
    }
    Tok *t = &c->tok[c->count++];
    t->data = data;
    t->len = len;
    t->hash = hash & c->mask;
    t->kind = kind;
    return 0;
}

/* The \w runs of n ASCII characters, lower-cased (str.casefold on ASCII) into the arena. */
static int cut_ascii(Cutter *c, const Py_UCS1 *s, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n;) {
        if (!is_word(s[i])) {
            i++;
            continue;
        }
        Py_UCS1 *start = c->arena + c->used, *w = start;
        uint64_t h = word_seed;
        do {
            Py_UCS1 ch = (Py_UCS1)(s[i] - 'A') < 26 ? s[i] | 0x20 : s[i];
            *w++ = ch;
            h = word_step(h, ch);
        } while (++i < n && is_word(s[i]));
        c->used += w - start;
        if (push_word(c, start, w - start, word_end(h, w - start), PyUnicode_1BYTE_KIND) < 0)
            return -1;
    }
    return 0;
}

/* The \w runs of a folded text of n characters of the given kind, as spans of it. */
ALWAYS_INLINE int cut_folded(Cutter *c, const int kind, const void *data, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n;) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!is_word(ch)) {
            i++;
            continue;
        }
        Py_ssize_t from = i;
        uint64_t h = word_seed;
        do
            h = word_step(h, ch);
        while (++i < n && is_word(ch = PyUnicode_READ(kind, data, i)));
        if (push_word(c, (const char *)data + from * kind, i - from, word_end(h, i - from), kind) < 0)
            return -1;
    }
    return 0;
}

/* The words of the first `limit` characters of text (an exact, ready str), as dup_tokens cuts
 * them: an ASCII cut lower-cased into the arena, any other cut folded by str.casefold, whose
 * result is kept in *held (the words point into it) until the loop ends. 0, or -1 with an
 * exception set. */
static int cut_text(Cutter *c, PyObject *text, Py_ssize_t limit, PyObject *casefold, PyObject **held)
{
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (PyUnicode_IS_ASCII(text))
        return cut_ascii(c, PyUnicode_1BYTE_DATA(text), n < limit ? n : limit);
    PyObject *cut = n > limit ? PyUnicode_Substring(text, 0, limit) : Py_NewRef(text);
    if (cut == NULL)
        return -1;
    if (PyUnicode_IS_ASCII(cut)) {
        int r = cut_ascii(c, PyUnicode_1BYTE_DATA(cut), PyUnicode_GET_LENGTH(cut));
        Py_DECREF(cut);
        return r;
    }
    PyObject *folded = PyObject_Vectorcall(casefold, &cut, 1, NULL);
    Py_DECREF(cut);
    if (folded == NULL)
        return -1;
    *held = folded;
    if (!PyUnicode_CheckExact(folded)) {
        PyErr_SetString(PyExc_TypeError, "repeats_of: str.casefold did not give a str");
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(folded) < 0)
        return -1;
#endif
    const void *data = PyUnicode_DATA(folded);
    const Py_ssize_t m = PyUnicode_GET_LENGTH(folded);
    switch (PyUnicode_KIND(folded)) {
    case PyUnicode_1BYTE_KIND:
        return cut_folded(c, PyUnicode_1BYTE_KIND, data, m);
    case PyUnicode_2BYTE_KIND:
        return cut_folded(c, PyUnicode_2BYTE_KIND, data, m);
    default:
        return cut_folded(c, PyUnicode_4BYTE_KIND, data, m);
    }
}

/* Equal exact, ready strs whose hashes are computed: the same length, kind and code units. */
ALWAYS_INLINE int same_text(PyObject *a, PyObject *b)
{
    const Py_ssize_t n = PyUnicode_GET_LENGTH(a);
    const int kind = PyUnicode_KIND(a);
    return a == b || (((PyASCIIObject *)a)->hash == ((PyASCIIObject *)b)->hash && n == PyUnicode_GET_LENGTH(b) &&
                      kind == PyUnicode_KIND(b) && memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)n * (size_t)kind) == 0);
}

PyDoc_STRVAR(repeats_of_doc,
"repeats_of(texts, limit, near_min_tokens, near_similarity, anchor, window, hash_mask=-1)\n"
"--\n\n"
"duplicates.find_repeats of ``texts`` (a list or tuple of str; a blank line is \"\"):\n"
"repeats(word_lists(texts, limit), ...) without making a str per word. The words of each\n"
"text's first ``limit`` characters are cut from its str.casefold (an ASCII text lower-cased)\n"
"as spans, hashed from their code points and compared by them. ``hash_mask`` (an int, its\n"
"two's complement bits) is and-ed with each word's hash: tests pass small masks so that words\n"
"collide. Returns NotImplemented when a text is not an exact str.");

static PyObject *repeats_of(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 6 && nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "repeats_of takes 6 or 7 arguments");
        return NULL;
    }
    PyObject *texts = args[0];
    if (!PyList_CheckExact(texts) && !PyTuple_CheckExact(texts)) {
        PyErr_SetString(PyExc_TypeError, "repeats_of: texts must be a tuple or a list");
        return NULL;
    }
    Py_ssize_t limit = PyLong_AsSsize_t(args[1]);
    if (limit == -1 && PyErr_Occurred())
        return NULL;
    if (limit < 0) {
        PyErr_SetString(PyExc_ValueError, "repeats_of: limit must not be negative");
        return NULL;
    }
    RParams params;
    if (repeat_params(args + 2, "repeats_of", &params) < 0)
        return NULL;
    uint64_t mask = ~(uint64_t)0;
    if (nargs == 7) {
        if (!PyLong_Check(args[6])) {
            PyErr_SetString(PyExc_TypeError, "repeats_of: hash_mask must be an int");
            return NULL;
        }
        mask = (uint64_t)PyLong_AsUnsignedLongLongMask(args[6]);
        if (mask == (uint64_t)-1 && PyErr_Occurred())
            return NULL;
    }
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(texts);
    PyObject **items = PySequence_Fast_ITEMS(texts);
    size_t room = 0; /* the arena's greatest need: every cut ASCII */
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyUnicode_CheckExact(items[i]))
            Py_RETURN_NOTIMPLEMENTED;
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(items[i]) < 0)
            return NULL;
#endif
        Py_ssize_t len = PyUnicode_GET_LENGTH(items[i]);
        room += (size_t)(len < limit ? len : limit);
    }
    Cutter cut = {NULL, 0, 0, PyMem_Malloc(room ? room : 1), 0, mask};
    PyObject **held = PyMem_Calloc(n ? (size_t)n : 1, sizeof(PyObject *));
    Py_ssize_t *first = PyMem_Malloc((n ? (size_t)n : 1) * sizeof(Py_ssize_t));
    RLine *lines = PyMem_Calloc(n ? (size_t)n : 1, sizeof(RLine));
    PyObject *casefold = NULL, *result = NULL;
    RTable seen = {NULL, 0}; /* the texts met so far, by their str hash */
    if (cut.arena == NULL || held == NULL || first == NULL || lines == NULL || table_new(&seen, n) < 0) {
        PyErr_NoMemory();
        goto done;
    }
    casefold = PyObject_GetAttrString((PyObject *)&PyUnicode_Type, "casefold");
    if (casefold == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        /* A text met before in the call shares the words cut from it. */
        Py_hash_t hash = PyObject_Hash(items[i]); /* exact str: computed once, kept (clean's have it) */
        if (hash == -1)
            goto done;
        size_t h = (size_t)hash & seen.mask;
        Py_ssize_t at;
        while ((at = seen.slot[h]) != 0 && !same_text(items[at - 1], items[i]))
            h = (h + 1) & seen.mask;
        if (at) {
            first[i] = first[at - 1];
            lines[i].n = lines[at - 1].n;
            continue;
        }
        seen.slot[h] = i + 1;
        first[i] = cut.count;
        if (cut_text(&cut, items[i], limit, casefold, &held[i]) < 0) {
            if (!PyErr_Occurred())
                PyErr_NoMemory();
            goto done;
        }
        lines[i].n = cut.count - first[i];
    }
    /* The words are all cut: the array moves no more. */
    for (Py_ssize_t i = 0; i < n; i++)
        lines[i].tok = cut.tok + first[i];
    result = repeat_lines(lines, n, &params);
done:
    for (Py_ssize_t i = 0; held != NULL && i < n; i++)
        Py_XDECREF(held[i]);
    Py_XDECREF(casefold);
    PyMem_Free(held);
    PyMem_Free(first);
    PyMem_Free(lines);
    PyMem_Free(cut.tok);
    PyMem_Free(cut.arena);
    PyMem_Free(seen.slot);
    return result;
}

/* ---- refine_rows ----------------------------------------------------------------------------- */

/* The LineFeatures slots refine_rows reads, in this order (refine.py passes their descriptors). */
enum { RF_BLANK, RF_WORDS, RF_CHARS, RF_STOP_RATIO, RF_CAP_RATIO, RF_ENDS_SENTENCE, RF_ENDS_COLON,
       RF_ENDS_ELLIPSIS, RF_CJK, N_RF };
static const char *const refine_feature_names[N_RF] = {
    "blank", "words", "chars", "stop_ratio", "cap_ratio", "ends_sentence", "ends_colon", "ends_ellipsis", "cjk"};
/* The Verdict slots it reads and writes. */
enum { RV_KIND, RV_SCORE, RV_REASONS, RV_SCORES, RV_LOCKED, RV_NOISE, N_RV };
static const char *const refine_verdict_names[N_RV] = {"kind", "score", "reasons", "scores", "locked", "noise"};
/* The kinds it names, in the tuple ``names``. */
enum { RN_TITLE, RN_BODY, RN_HEADING, RN_NAV, N_RN };

/* What the decision loop of refine.refine_with_model does to a row. */
enum {
    RD_SKIP,         /* locked, or the title */
    RD_AGREE,        /* kept, and the model agrees */
    RD_RESCUE,       /* a dropped sentence the model gives back */
    RD_RESCUES_ONLY, /* dropped, and not a sentence it may give back */
    RD_SAFE,         /* doubted, but protected */
    RD_NO_NOISE,     /* doubted, on a page where the model may not drop */
    RD_DOUBT,        /* doubted: dropped when enough words are left */
};

/* What refine_rows knows of a non-blank line. */
typedef struct {
    double f[N_FEAT]; /* by the F_ positions prose_like reads */
    long long words;
    double ends_ellipsis;
    char noise, locked, title;
} RLineInfo;

/* Reads line i's features and verdict into *out: 1, 0 when a value is not of a type it handles,
 * or 2 for a blank line (its verdict not read). */
static int refine_line(PyObject *f, PyObject *v, PyTypeObject *feat_cls, PyTypeObject *verdict_cls,
                       const Py_ssize_t *f_off, const Py_ssize_t *v_off, PyObject *title, RLineInfo *out)
{
    if (Py_TYPE(f) != feat_cls)
        return 0;
    PyObject *blank = *slot(f, f_off[RF_BLANK]);
    if (blank != Py_True && blank != Py_False)
        return 0;
    if (blank == Py_True)
        return 2;
    PyObject *words = *slot(f, f_off[RF_WORDS]);
    if (words == NULL || !PyLong_CheckExact(words))
        return 0; /* summed and printed: an exact int */
    int overflow;
    out->words = PyLong_AsLongLongAndOverflow(words, &overflow);
    if (overflow || out->words > (1LL << 53) || out->words < -(1LL << 53))
        return 0;
    out->f[F_WORDS] = (double)out->words;
    if (!number(*slot(f, f_off[RF_CHARS]), &out->f[F_CHARS]) ||
        !number(*slot(f, f_off[RF_STOP_RATIO]), &out->f[F_STOP_RATIO]) ||
        !number(*slot(f, f_off[RF_CAP_RATIO]), &out->f[F_CAP_RATIO]) ||
        !number(*slot(f, f_off[RF_ENDS_SENTENCE]), &out->f[F_ENDS_SENTENCE]) ||
        !number(*slot(f, f_off[RF_ENDS_COLON]), &out->f[F_ENDS_COLON]) ||
        !number(*slot(f, f_off[RF_ENDS_ELLIPSIS]), &out->ends_ellipsis) ||
        !number(*slot(f, f_off[RF_CJK]), &out->f[F_CJK]))
        return 0;
    if (Py_TYPE(v) != verdict_cls)
        return 0;
    PyObject *kind = *slot(v, v_off[RV_KIND]), *noise = *slot(v, v_off[RV_NOISE]);
    PyObject *locked = *slot(v, v_off[RV_LOCKED]), *reasons = *slot(v, v_off[RV_REASONS]);
    if (kind == NULL || !PyUnicode_CheckExact(kind) || (noise != Py_True && noise != Py_False) ||
        (locked != Py_True && locked != Py_False) || reasons == NULL || !PyList_CheckExact(reasons) ||
        *slot(v, v_off[RV_SCORE]) == NULL)
        return 0;
    out->noise = noise == Py_True;
    out->locked = locked == Py_True;
    out->title = PyUnicode_Compare(kind, title) == 0;
    return 1;
}

/* refine.python_protected_lines: marks in safe[0..n) the lines the model may not drop. */
static void protected_rows(const RLineInfo *info, const char *blank, Py_ssize_t n, int given, Py_ssize_t first,
                           Py_ssize_t last, double cjk_prose_chars, char *safe)
{
    memset(safe, 0, (size_t)n);
    if (!given)
        return;
    Py_ssize_t prev = -1; /* the last sentence so far */
    for (Py_ssize_t i = first; i <= last; i++) {
        if (blank[i])
            continue;
        const RLineInfo *l = &info[i];
        if (l->noise ||
            !((truth(l->f[F_ENDS_SENTENCE]) && l->f[F_WORDS] >= 3) || prose_like(l->f, cjk_prose_chars)))
            continue;
        if (truth(l->f[F_CJK]))
            safe[i] = 1;
        if (prev >= 0) {
            Py_ssize_t between = -1, count = 0;
            for (Py_ssize_t j = prev + 1; j < i; j++)
                if (!blank[j]) {
                    between = j;
                    count++;
                }
            if (count == 1) {
                const double *g = info[between].f;
                if (truth(g[F_ENDS_SENTENCE]) || truth(g[F_ENDS_COLON]) || truth(g[F_CJK]))
                    safe[between] = 1;
            }
        }
        prev = i;
    }
}

/* The first key of the exact dict scores whose value is greatest (Python's max over it, by
 * value): 1 with *kind a new reference (nav when it is empty), 0 when a key is not an exact str or a
 * value not a number() of it. */
static int best_noise_kind(PyObject *scores, PyObject *nav, PyObject **kind)
{
    if (scores == NULL || !PyDict_CheckExact(scores))
        return 0;
    PyObject *found = nav, *key, *value;
    Py_ssize_t pos = 0;
    double best = 0.0, x;
    int any = 0;
    while (PyDict_Next(scores, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key) || !number(value, &x))
            return 0;
        if (!any || x > best) {
            best = x;
            found = key;
            any = 1;
        }
    }
    *kind = Py_NewRef(found);
    return 1;
}

/* A new str of the n ASCII strings parts joined (a compact ASCII str, made without a format). */
static PyObject *ascii_join(const char *const *parts, int n)
{
    size_t len[8];
    size_t total = 0;
    for (int k = 0; k < n; k++)
        total += len[k] = strlen(parts[k]);
    PyObject *s = PyUnicode_New((Py_ssize_t)total, 127);
    if (s == NULL)
        return NULL;
    char *out = (char *)PyUnicode_1BYTE_DATA(s);
    for (int k = 0; k < n; k++) {
        memcpy(out, parts[k], len[k]);
        out += len[k];
    }
    return s;
}

ALWAYS_INLINE PyObject *ascii_join3(const char *a, const char *b, const char *c)
{
    const char *parts[3] = {a, b, c};
    return ascii_join(parts, 3);
}

PyDoc_STRVAR(refine_rows_doc,
"refine_rows(feats, verdicts, feat_cls, feat_descrs, verdict_cls, verdict_descrs, not_noise, names,\n"
"            rows, p, span, cut, may_drop, noisy, nonblank, min_words_left, cjk_prose_chars)\n"
"--\n\n"
"The decision loop of refine.refine_with_model (refine.python_decide) with protected_lines and\n"
"_words_left: for each line ``rows[r]`` (an intp array of the non-blank lines, in order) with the\n"
"body probability ``p[r]`` (a float64 array), the verdict's reason, or its new kind, score and\n"
"first reason, written through the slot descriptors (REFINE_FEATURE_FIELDS and\n"
"REFINE_VERDICT_FIELDS, in that order). ``names`` is the tuple of the kinds 'title', 'body',\n"
"'heading' and 'nav'. Returns the list of (r, line) of the lines it changed, rescued ones first,\n"
"or NotImplemented, nothing changed, when an input is not of the plain types it handles.");

static PyObject *refine_rows(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 17) {
        PyErr_SetString(PyExc_TypeError, "refine_rows takes 17 arguments");
        return NULL;
    }
    PyObject *feats = args[0], *verdicts = args[1], *not_noise = args[6], *names = args[7];
    PyObject *noisy = args[13], *nonblank = args[14];
    Py_ssize_t f_off[N_RF], v_off[N_RV];
    if (member_offsets(args[2], args[3], N_RF, f_off, "refine_rows") < 0 ||
        member_offsets(args[4], args[5], N_RV, v_off, "refine_rows") < 0)
        return NULL;
    PyTypeObject *feat_cls = (PyTypeObject *)args[2], *verdict_cls = (PyTypeObject *)args[4];
    if (!PyFrozenSet_CheckExact(not_noise) || !PyTuple_CheckExact(names) || PyTuple_GET_SIZE(names) != N_RN) {
        PyErr_SetString(PyExc_TypeError, "refine_rows: expected a frozenset and a tuple of four kinds");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < N_RN; k++)
        if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(names, k))) {
            PyErr_SetString(PyExc_TypeError, "refine_rows: the kinds must be strs");
            return NULL;
        }
    PyObject *title = PyTuple_GET_ITEM(names, RN_TITLE), *nav = PyTuple_GET_ITEM(names, RN_NAV);
    double cut = PyFloat_AsDouble(args[11]), cjk_prose_chars = PyFloat_AsDouble(args[16]);
    Py_ssize_t min_words_left = PyLong_AsSsize_t(args[15]);
    int may_drop = PyObject_IsTrue(args[12]);
    if (((cut == -1.0 || cjk_prose_chars == -1.0 || min_words_left == -1) && PyErr_Occurred()) || may_drop < 0)
        return NULL;
    if (!PyFloat_CheckExact(args[11]) || !PyBool_Check(args[12]) || !PyLong_CheckExact(noisy) ||
        !PyLong_CheckExact(nonblank))
        Py_RETURN_NOTIMPLEMENTED;
    if (!(PyList_CheckExact(feats) || PyTuple_CheckExact(feats)) ||
        !(PyList_CheckExact(verdicts) || PyTuple_CheckExact(verdicts)))
        Py_RETURN_NOTIMPLEMENTED;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(feats);
    if (PySequence_Fast_GET_SIZE(verdicts) != n)
        Py_RETURN_NOTIMPLEMENTED;
    int given;
    Py_ssize_t first = 0, last = -1;
    int fits = span_bounds(args[10], &given, &first, &last);
    if (fits <= 0)
        return fits < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    if (given && first <= last && (first < 0 || last >= n))
        Py_RETURN_NOTIMPLEMENTED; /* Python indexes from the end, or raises */

    Py_buffer rv, pv;
    fits = array_of(args[8], &rv, INTP_FORMATS, 1, 0, 1, "refine_rows", "rows");
    if (fits <= 0)
        return fits < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    fits = array_of(args[9], &pv, "d", 1, 0, 1, "refine_rows", "p");
    if (fits <= 0) {
        PyBuffer_Release(&rv);
        return fits < 0 ? NULL : Py_NewRef(Py_NotImplemented);
    }
    PyObject *result = NULL, *held = NULL, *changed = NULL;
    PyObject **made = NULL; /* per row: its reason, and for a changed line its new score */
    RLineInfo *info = NULL;
    char *blank = NULL, *safe = NULL, *what = NULL, *noise_after = NULL, *cut_text = NULL;
    PyObject **best = NULL;
    const Py_ssize_t m = rv.shape[0];
    const Py_ssize_t *rows = rv.buf;
    const double *p = pv.buf;
    if (pv.shape[0] != m)
        goto hand_back;
    /* Own references to the records: making strs below may collect garbage, whose finalizers
     * could change the lists. */
    held = PySequence_Tuple(verdicts);
    PyObject *feat_tuple = held ? PySequence_Tuple(feats) : NULL;
    if (feat_tuple == NULL)
        goto done;
    Py_SETREF(held, PyTuple_Pack(2, held, feat_tuple));
    Py_DECREF(feat_tuple);
    if (held == NULL)
        goto done;
    PyObject **v_items = PySequence_Fast_ITEMS(PyTuple_GET_ITEM(held, 0));
    PyObject **f_items = PySequence_Fast_ITEMS(PyTuple_GET_ITEM(held, 1));
    info = PyMem_Calloc((size_t)n + 1, sizeof(RLineInfo));
    blank = PyMem_Calloc((size_t)n + 1, 4);
    what = PyMem_Calloc((size_t)m + 1, 1);
    made = PyMem_Calloc((size_t)m * 2 + 1, sizeof(PyObject *));
    best = PyMem_Calloc((size_t)m + 1, sizeof(PyObject *));
    if (info == NULL || blank == NULL || what == NULL || made == NULL || best == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    safe = blank + n;
    noise_after = blank + 2 * n;
    for (Py_ssize_t i = 0; i < n; i++) {
        int got = refine_line(f_items[i], v_items[i], feat_cls, verdict_cls, f_off, v_off, title, &info[i]);
        if (got == 0)
            goto hand_back;
        blank[i] = got == 2;
        noise_after[i] = got == 1 && info[i].noise;
    }
    for (Py_ssize_t r = 0; r < m; r++)
        if (rows[r] < 0 || rows[r] >= n || blank[rows[r]] || (r > 0 && rows[r] <= rows[r - 1]))
            goto hand_back;
    protected_rows(info, blank, n, given, first, last, cjk_prose_chars, safe);

    /* The first loop's decisions. */
    int rescued_noise[2];
    for (int k = 0; k < 2; k++) {
        rescued_noise[k] = PySet_Contains(not_noise, PyTuple_GET_ITEM(names, RN_BODY + k));
        if (rescued_noise[k] < 0)
            goto done;
        rescued_noise[k] = !rescued_noise[k];
    }
    Py_ssize_t doubted = 0;
    for (Py_ssize_t r = 0; r < m; r++) {
        const Py_ssize_t i = rows[r];
        const RLineInfo *l = &info[i];
        char d;
        if (l->locked || l->title)
            d = RD_SKIP;
        else if (p[r] >= cut) {
            if (!l->noise)
                d = RD_AGREE;
            else if (truth(l->f[F_ENDS_SENTENCE]) && !truth(l->ends_ellipsis)) {
                d = RD_RESCUE;
                noise_after[i] = (char)rescued_noise[!prose_like(l->f, cjk_prose_chars)];
            } else
                d = RD_RESCUES_ONLY;
        } else if (safe[i])
            d = RD_SAFE;
        else if (!l->noise)
            d = may_drop ? RD_DOUBT : RD_NO_NOISE;
        else
            d = RD_RESCUES_ONLY;
        what[r] = d;
        doubted += d == RD_DOUBT;
    }
    /* _words_left: the words of the lines kept after the first loop, but the doubted ones. */
    long long left = 0;
    if (doubted) {
        for (Py_ssize_t r = 0; r < m; r++)
            if (what[r] == RD_DOUBT)
                noise_after[rows[r]] = 1;
        for (Py_ssize_t i = 0; i < n; i++)
            if (!blank[i] && !noise_after[i]) {
                const long long w = info[i].words;
                if ((w > 0 && left > LLONG_MAX - w) || (w < 0 && left < LLONG_MIN - w))
                    goto hand_back;
                left += w;
            }
    }
    const int drop = left >= min_words_left;
    if (doubted && drop)
        for (Py_ssize_t r = 0; r < m; r++)
            if (what[r] == RD_DOUBT &&
                !best_noise_kind(*slot(v_items[rows[r]], v_off[RV_SCORES]), nav, &best[r]))
                goto hand_back;

    /* Everything is checked: make the reasons and scores, then write them. */
    if (doubted && drop) {
        cut_text = PyOS_double_to_string(cut, 'f', 2, 0, NULL);
        if (cut_text == NULL)
            goto done;
    }
    for (Py_ssize_t r = 0; r < m; r++) {
        if (what[r] == RD_SKIP)
            continue;
        char *s = PyOS_double_to_string(p[r], 'f', 2, 0, NULL);
        if (s == NULL)
            goto done;
        PyObject *reason = NULL, *score = NULL;
        switch (what[r]) {
        case RD_AGREE:
            reason = ascii_join3("learned model agrees (body probability ", s, ")");
            break;
        case RD_RESCUE:
            reason = ascii_join3("learned model: body probability ", s, " for a sentence the rules dropped");
            score = PyFloat_FromDouble(p[r]);
            break;
        case RD_RESCUES_ONLY:
            reason = ascii_join3("learned model: body probability ", s, " (it rescues only sentences)");
            break;
        case RD_SAFE:
            reason = ascii_join3("learned model doubts it (body probability ", s,
                                 "), but a line between two sentences of the article stays");
            break;
        case RD_NO_NOISE:
            reason = PyUnicode_FromFormat("learned model doubts it (body probability %s), but the rules found almost "
                                          "no noise on this page (%S of %S lines), so the model drops nothing",
                                          s, noisy, nonblank);
            break;
        default: /* RD_DOUBT */
            if (drop) {
                const char *parts[4] = {"learned model: body probability ", s, ", below ", cut_text};
                reason = ascii_join(parts, 4);
                score = PyFloat_FromDouble(1.0 - p[r]);
            } else
                reason = PyUnicode_FromFormat("learned model doubts it (body probability %s), but dropping every "
                                              "line it doubts would leave %lld words of the page, so the model "
                                              "drops nothing", s, left);
        }
        PyMem_Free(s);
        made[2 * r] = reason;
        made[2 * r + 1] = score;
        if (reason == NULL || (score == NULL && (what[r] == RD_RESCUE || (what[r] == RD_DOUBT && drop))))
            goto done;
    }
    changed = PyList_New(0);
    if (changed == NULL)
        goto done;
    for (int pass = 0; pass < 2; pass++)
        for (Py_ssize_t r = 0; r < m; r++)
            if (what[r] == (pass ? RD_DOUBT : RD_RESCUE) && made[2 * r + 1] != NULL) {
                PyObject *pair = Py_BuildValue("(nn)", r, rows[r]);
                if (pair == NULL || PyList_Append(changed, pair) < 0) {
                    Py_XDECREF(pair);
                    goto done;
                }
                Py_DECREF(pair);
            }
    for (Py_ssize_t r = 0; r < m; r++) {
        if (what[r] == RD_SKIP)
            continue;
        PyObject *v = v_items[rows[r]], *reasons = *slot(v, v_off[RV_REASONS]);
        if (reasons == NULL || !PyList_CheckExact(reasons)) {
            PyErr_SetString(PyExc_RuntimeError, "refine_rows: a verdict changed during the call");
            goto done;
        }
        if (made[2 * r + 1] == NULL) { /* a reason at the end */
            if (PyList_Append(reasons, made[2 * r]) < 0)
                goto done;
            continue;
        }
        /* Verdict.set(kind, score, reason): the kind, the score, noise, the reason first. */
        PyObject *kind = what[r] == RD_RESCUE
                             ? PyTuple_GET_ITEM(names, prose_like(info[rows[r]].f, cjk_prose_chars) ? RN_BODY : RN_HEADING)
                             : best[r];
        int content = PySet_Contains(not_noise, kind);
        if (content < 0)
            goto done;
        Py_INCREF(reasons); /* the slots' old values may be the last references to anything */
        int inserted = PyList_Insert(reasons, 0, made[2 * r]);
        Py_DECREF(reasons);
        if (inserted < 0)
            goto done;
        Py_XSETREF(*slot(v, v_off[RV_KIND]), Py_NewRef(kind));
        Py_XSETREF(*slot(v, v_off[RV_SCORE]), Py_NewRef(made[2 * r + 1]));
        Py_XSETREF(*slot(v, v_off[RV_NOISE]), Py_NewRef(content ? Py_False : Py_True));
    }
    result = Py_NewRef(changed);
    goto done;
hand_back:
    result = Py_NewRef(Py_NotImplemented);
done:
    if (made != NULL)
        for (Py_ssize_t k = 0; k < 2 * m; k++)
            Py_XDECREF(made[k]);
    PyMem_Free(made);
    if (best != NULL)
        for (Py_ssize_t r = 0; r < m; r++)
            Py_XDECREF(best[r]);
    PyMem_Free(best);
    PyMem_Free(cut_text);
    PyMem_Free(info);
    PyMem_Free(blank);
    PyMem_Free(what);
    Py_XDECREF(changed);
    Py_XDECREF(held);
    PyBuffer_Release(&rv);
    PyBuffer_Release(&pv);
    return result;
}

/* ---- refine_counts --------------------------------------------------------------------------- */

PyDoc_STRVAR(refine_counts_doc,
"refine_counts(feats, verdicts, feat_cls, feat_descrs, verdict_cls, verdict_descrs, title)\n"
"--\n\n"
"The counts at the top of refine.refine_with_model (refine.python_counts): the non-blank lines,\n"
"the noise among them, and whether a line is one the model may give back (refine._rescuable),\n"
"reading the slots REFINE_FEATURE_FIELDS and REFINE_VERDICT_FIELDS through their descriptors;\n"
"``title`` is the kind 'title'. Returns NotImplemented when an input is not of the plain types it\n"
"handles.");

static PyObject *refine_counts(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "refine_counts takes 7 arguments");
        return NULL;
    }
    PyObject *feats = args[0], *verdicts = args[1], *title = args[6];
    Py_ssize_t f_off[N_RF], v_off[N_RV];
    if (member_offsets(args[2], args[3], N_RF, f_off, "refine_counts") < 0 ||
        member_offsets(args[4], args[5], N_RV, v_off, "refine_counts") < 0)
        return NULL;
    PyTypeObject *feat_cls = (PyTypeObject *)args[2], *verdict_cls = (PyTypeObject *)args[4];
    if (!PyUnicode_CheckExact(title)) {
        PyErr_SetString(PyExc_TypeError, "refine_counts: the title kind must be a str");
        return NULL;
    }
    if (!(PyList_CheckExact(feats) || PyTuple_CheckExact(feats)) ||
        !(PyList_CheckExact(verdicts) || PyTuple_CheckExact(verdicts)))
        Py_RETURN_NOTIMPLEMENTED;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(feats);
    if (PySequence_Fast_GET_SIZE(verdicts) != n)
        Py_RETURN_NOTIMPLEMENTED;
    PyObject **f_items = PySequence_Fast_ITEMS(feats), **v_items = PySequence_Fast_ITEMS(verdicts);
    Py_ssize_t nonblank = 0, noisy = 0;
    int rescuable = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f = f_items[i], *v = v_items[i];
        if (Py_TYPE(f) != feat_cls || Py_TYPE(v) != verdict_cls)
            Py_RETURN_NOTIMPLEMENTED;
        PyObject *blank = *slot(f, f_off[RF_BLANK]), *noise = *slot(v, v_off[RV_NOISE]);
        if ((blank != Py_True && blank != Py_False) || (noise != Py_True && noise != Py_False))
            Py_RETURN_NOTIMPLEMENTED;
        nonblank += blank == Py_False;
        if (noise == Py_False)
            continue;
        noisy += blank == Py_False;
        /* _rescuable: not locked, not the title, a sentence end that is not "..." */
        PyObject *locked = *slot(v, v_off[RV_LOCKED]), *kind = *slot(v, v_off[RV_KIND]);
        double ends_sentence, ends_ellipsis;
        if (locked != Py_True && locked != Py_False)
            Py_RETURN_NOTIMPLEMENTED;
        if (locked == Py_True || rescuable)
            continue;
        if (kind == NULL || !PyUnicode_CheckExact(kind))
            Py_RETURN_NOTIMPLEMENTED;
        if (PyUnicode_Compare(kind, title) == 0)
            continue;
        if (!number(*slot(f, f_off[RF_ENDS_SENTENCE]), &ends_sentence))
            Py_RETURN_NOTIMPLEMENTED;
        if (!truth(ends_sentence))
            continue;
        if (!number(*slot(f, f_off[RF_ENDS_ELLIPSIS]), &ends_ellipsis))
            Py_RETURN_NOTIMPLEMENTED;
        rescuable = !truth(ends_ellipsis);
    }
    return Py_BuildValue("nnO", nonblank, noisy, rescuable ? Py_True : Py_False);
}

/* ---- footer_rows ----------------------------------------------------------------------------- */

static const char *const footer_feature_names[] = {"blank", "words"};
static const char *const footer_verdict_names[] = {"kind", "scores"};

/* Whether line v is a footer marker: its exact str kind one of the strs of the tuple kinds and
 * its score for that kind (0.0 when it has none) at least marker_score. 1 or 0, or -1 when a
 * value is not of a type it handles. */
static int footer_marker(PyObject *v, const Py_ssize_t *v_off, PyObject *kinds, double marker_score)
{
    PyObject *kind = *slot(v, v_off[0]), *scores = *slot(v, v_off[1]);
    if (kind == NULL || !PyUnicode_CheckExact(kind))
        return -1;
    int found = 0;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(kinds) && !found; k++)
        found = PyUnicode_Compare(kind, PyTuple_GET_ITEM(kinds, k)) == 0;
    if (!found)
        return 0;
    if (scores == NULL || !PyDict_CheckExact(scores))
        return -1;
    PyObject *value = PyDict_GetItemWithError(scores, kind); /* borrowed; an exact str hashes in C */
    double x = 0.0;
    if (value == NULL && PyErr_Occurred())
        return -1;
    if (value != NULL && !number(value, &x))
        return -1;
    return x >= marker_score;
}

PyDoc_STRVAR(footer_rows_doc,
"footer_rows(feats, verdicts, kept, feat_cls, feat_descrs, verdict_cls, verdict_descrs, kinds,\n"
"            min_lines, marker_score, after_words, after_share)\n"
"--\n\n"
"context.python_footer_start in C: the first and last line of the footer or None, reading the\n"
"LineFeatures slots FOOTER_FEATURE_FIELDS and the Verdict slots FOOTER_VERDICT_FIELDS through\n"
"their descriptors; ``kinds`` is the tuple FOOTER_KINDS, the rest the module's FOOTER_ numbers.\n"
"Returns NotImplemented when an input is not of the plain types it handles.");

static PyObject *footer_rows(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 12) {
        PyErr_SetString(PyExc_TypeError, "footer_rows takes 12 arguments");
        return NULL;
    }
    PyObject *feats = args[0], *verdicts = args[1], *kept = args[2], *kinds = args[7];
    Py_ssize_t f_off[2], v_off[2];
    if (member_offsets(args[3], args[4], 2, f_off, "footer_rows") < 0 ||
        member_offsets(args[5], args[6], 2, v_off, "footer_rows") < 0)
        return NULL;
    PyTypeObject *feat_cls = (PyTypeObject *)args[3], *verdict_cls = (PyTypeObject *)args[5];
    if (!PyTuple_CheckExact(kinds)) {
        PyErr_SetString(PyExc_TypeError, "footer_rows: kinds must be a tuple");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(kinds); k++)
        if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(kinds, k))) {
            PyErr_SetString(PyExc_TypeError, "footer_rows: the kinds must be strs");
            return NULL;
        }
    double min_lines, marker_score, after_words, after_share;
    if (!number(args[8], &min_lines) || !number(args[9], &marker_score) || !number(args[10], &after_words) ||
        !number(args[11], &after_share))
        Py_RETURN_NOTIMPLEMENTED;
    if (!(PyList_CheckExact(feats) || PyTuple_CheckExact(feats)) ||
        !(PyList_CheckExact(verdicts) || PyTuple_CheckExact(verdicts)) ||
        !(PyList_CheckExact(kept) || PyTuple_CheckExact(kept)))
        Py_RETURN_NOTIMPLEMENTED;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(feats);
    if (PySequence_Fast_GET_SIZE(verdicts) != n || PySequence_Fast_GET_SIZE(kept) != n)
        Py_RETURN_NOTIMPLEMENTED;
    PyObject **f_items = PySequence_Fast_ITEMS(feats), **v_items = PySequence_Fast_ITEMS(verdicts);
    PyObject **k_items = PySequence_Fast_ITEMS(kept);
    /* The kept words: the sums stay exact as doubles (the absolute words add up to at most 2**53). */
    long long total = 0, bound = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f = f_items[i], *k = k_items[i];
        if (Py_TYPE(f) != feat_cls || (k != Py_True && k != Py_False))
            return Py_NewRef(Py_NotImplemented);
        PyObject *blank = *slot(f, f_off[0]), *words = *slot(f, f_off[1]);
        if (blank != Py_True && blank != Py_False)
            Py_RETURN_NOTIMPLEMENTED;
        if (blank == Py_True || k == Py_False)
            continue;
        if (words == NULL || !PyLong_CheckExact(words))
            Py_RETURN_NOTIMPLEMENTED;
        int overflow;
        long long w = PyLong_AsLongLongAndOverflow(words, &overflow);
        if (overflow || w > (1LL << 53) || w < -(1LL << 53))
            Py_RETURN_NOTIMPLEMENTED;
        bound += w < 0 ? -w : w;
        if (bound > (1LL << 53))
            Py_RETURN_NOTIMPLEMENTED;
        total += w;
    }
    const double share = after_share * (double)total;
    long long seen = 0;
    Py_ssize_t run = 0, markers = 0, first = -1, last = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f = f_items[i];
        if (*slot(f, f_off[0]) == Py_True)
            continue;
        if (k_items[i] == Py_False) {
            if (run == 0)
                first = i;
            run++;
            last = i;
            PyObject *v = v_items[i];
            if (Py_TYPE(v) != verdict_cls)
                Py_RETURN_NOTIMPLEMENTED;
            int marker = footer_marker(v, v_off, kinds, marker_score);
            if (marker < 0) {
                if (PyErr_Occurred())
                    return NULL;
                Py_RETURN_NOTIMPLEMENTED;
            }
            markers += marker;
            continue;
        }
        if ((double)run >= min_lines && markers && (double)seen >= after_words && (double)seen >= share)
            return Py_BuildValue("(nn)", first, last);
        seen += PyLong_AsLongLong(*slot(f, f_off[1])); /* checked above */
        run = markers = 0;
    }
    Py_RETURN_NONE;
}

/* ---- blank_runs ------------------------------------------------------------------------------ */

static const char *const blank_line_names[] = {"text", "ending"};

/* Whether the exact str s is "\r" (is_cr) or starts with "\n". */
ALWAYS_INLINE int is_cr(PyObject *s)
{
    return PyUnicode_GET_LENGTH(s) == 1 && PyUnicode_READ_CHAR(s, 0) == '\r';
}
ALWAYS_INLINE int starts_lf(PyObject *s) { return PyUnicode_GET_LENGTH(s) >= 1 && PyUnicode_READ_CHAR(s, 0) == '\n'; }

PyDoc_STRVAR(blank_runs_doc,
"blank_runs(kept, blank, lines, line_cls, line_descrs)\n"
"--\n\n"
"render.python_keep_blank_lines in C: a new list of ``kept`` (a list of bools) with the first\n"
"run of blank lines (``blank``, a list of bools) between each pair of kept non-blank lines kept\n"
"too, but for an empty line ending in \\n after a kept line ending in a bare \\r; ``lines`` is\n"
"None or the list of the Line records (their slots LINE_TEXT_FIELDS read through the\n"
"descriptors). Returns NotImplemented when an input is not of the plain types it handles.");

static PyObject *blank_runs(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "blank_runs takes 5 arguments");
        return NULL;
    }
    PyObject *kept = args[0], *blank = args[1], *lines = args[2];
    Py_ssize_t off[2];
    if (member_offsets(args[3], args[4], 2, off, "blank_runs") < 0)
        return NULL;
    PyTypeObject *line_cls = (PyTypeObject *)args[3];
    if (!PyList_CheckExact(kept) || !PyList_CheckExact(blank) || (lines != Py_None && !PyList_CheckExact(lines)))
        Py_RETURN_NOTIMPLEMENTED;
    const Py_ssize_t n = PyList_GET_SIZE(kept);
    if (PyList_GET_SIZE(blank) != n || (lines != Py_None && PyList_GET_SIZE(lines) != n))
        Py_RETURN_NOTIMPLEMENTED;
    PyObject **k_items = PySequence_Fast_ITEMS(kept), **b_items = PySequence_Fast_ITEMS(blank);
    for (Py_ssize_t i = 0; i < n; i++) {
        if ((k_items[i] != Py_True && k_items[i] != Py_False) || (b_items[i] != Py_True && b_items[i] != Py_False))
            Py_RETURN_NOTIMPLEMENTED;
        if (lines != Py_None) {
            PyObject *line = PyList_GET_ITEM(lines, i), *text, *ending;
            if (Py_TYPE(line) != line_cls || (text = *slot(line, off[0])) == NULL || !PyUnicode_CheckExact(text) ||
                (ending = *slot(line, off[1])) == NULL || !PyUnicode_CheckExact(ending))
                Py_RETURN_NOTIMPLEMENTED;
        }
    }
    char *out = PyMem_Malloc((size_t)n + 1);
    if (out == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++)
        out[i] = k_items[i] == Py_True;
    /* _with_blank_runs */
    Py_ssize_t last_kept = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (b_items[i] == Py_True || k_items[i] == Py_False)
            continue;
        if (last_kept >= 0) {
            Py_ssize_t j = last_kept + 1;
            while (j < i && b_items[j] == Py_False)
                j++;
            while (j < i && b_items[j] == Py_True)
                out[j++] = 1;
        }
        last_kept = i;
    }
    /* no kept empty \n line after a kept line ending in a bare \r */
    if (lines != Py_None) {
        PyObject *prev = NULL;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (!out[i])
                continue;
            PyObject *line = PyList_GET_ITEM(lines, i);
            if (prev != NULL && is_cr(*slot(prev, off[1])) && PyUnicode_GET_LENGTH(*slot(line, off[0])) == 0 &&
                starts_lf(*slot(line, off[1]))) {
                out[i] = 0;
                continue;
            }
            prev = line;
        }
    }
    PyObject *result = PyList_New(n);
    if (result != NULL)
        for (Py_ssize_t i = 0; i < n; i++)
            PyList_SET_ITEM(result, i, Py_NewRef(out[i] ? Py_True : Py_False));
    PyMem_Free(out);
    return result;
}

/* ---- kept_lines ------------------------------------------------------------------------------ */

static const char *const kept_verdict_names[] = {"kind", "noise"};

PyDoc_STRVAR(kept_lines_doc,
"kept_lines(texts, verdicts, verdict_cls, verdict_descrs, drop, allow, keep_line, blank, title)\n"
"--\n\n"
"decide.python_kept_lines in C: for each line, False for the kind ``blank``, False for a kind in\n"
"the frozenset ``drop`` when ``allow`` (a bool: whether phrases are allowed) is False, True for\n"
"a line that is not noise of a kind not in ``drop``, neither of them for the kind ``title``, and\n"
"otherwise what ``keep_line(text, verdict)`` returns. The Verdict slots KEPT_VERDICT_FIELDS are\n"
"read through their descriptors. Returns NotImplemented, before calling keep_line, when an input\n"
"is not of the plain types it handles.");

static PyObject *kept_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "kept_lines takes 9 arguments");
        return NULL;
    }
    PyObject *texts = args[0], *verdicts = args[1], *drop = args[4], *keep_line = args[6];
    PyObject *blank_kind = args[7], *title = args[8];
    Py_ssize_t off[2];
    if (member_offsets(args[2], args[3], 2, off, "kept_lines") < 0)
        return NULL;
    PyTypeObject *verdict_cls = (PyTypeObject *)args[2];
    if (!PyCallable_Check(keep_line) || !PyUnicode_CheckExact(blank_kind) || !PyUnicode_CheckExact(title)) {
        PyErr_SetString(PyExc_TypeError, "kept_lines: expected a callable and two strs");
        return NULL;
    }
    if (!PyFrozenSet_CheckExact(drop) || !PyBool_Check(args[5]) || !PyList_CheckExact(texts) ||
        !PyList_CheckExact(verdicts))
        Py_RETURN_NOTIMPLEMENTED;
    const int allow = args[5] == Py_True;
    const Py_ssize_t n = PyList_GET_SIZE(texts);
    if (PyList_GET_SIZE(verdicts) != n)
        Py_RETURN_NOTIMPLEMENTED;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyList_GET_ITEM(verdicts, i), *kind, *noise;
        if (Py_TYPE(v) != verdict_cls || (kind = *slot(v, off[0])) == NULL || !PyUnicode_CheckExact(kind) ||
            ((noise = *slot(v, off[1])) != Py_True && noise != Py_False))
            Py_RETURN_NOTIMPLEMENTED;
    }
    /* keep_line runs Python code: own references to the lines, and each verdict read as it comes. */
    PyObject *t_held = PyList_AsTuple(texts);
    PyObject *v_held = t_held ? PyList_AsTuple(verdicts) : NULL;
    PyObject *out = v_held ? PyList_New(n) : NULL;
    if (out == NULL)
        goto error;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyTuple_GET_ITEM(v_held, i), *kind = *slot(v, off[0]), *noise = *slot(v, off[1]);
        if (kind == NULL || !PyUnicode_CheckExact(kind) || (noise != Py_True && noise != Py_False)) {
            PyErr_SetString(PyExc_RuntimeError, "kept_lines: a verdict changed during the call");
            goto error;
        }
        PyObject *keep = NULL;
        if (PyUnicode_Compare(kind, blank_kind) == 0)
            keep = Py_NewRef(Py_False);
        else {
            const int is_title = PyUnicode_Compare(kind, title) == 0;
            const int dropped = PySet_Contains(drop, kind);
            if (dropped < 0)
                goto error;
            if (dropped && !allow && !is_title)
                keep = Py_NewRef(Py_False);
            else if (noise == Py_False && !dropped && !is_title)
                keep = Py_NewRef(Py_True);
            else {
                PyObject *call[2] = {PyTuple_GET_ITEM(t_held, i), v};
                keep = PyObject_Vectorcall(keep_line, call, 2, NULL);
                if (keep == NULL)
                    goto error;
            }
        }
        PyList_SET_ITEM(out, i, keep);
    }
    Py_DECREF(t_held);
    Py_DECREF(v_held);
    return out;
error:
    Py_XDECREF(t_held);
    Py_XDECREF(v_held);
    Py_XDECREF(out);
    return NULL;
}

/* ---- the module ------------------------------------------------------------------------------ */

static PyMethodDef methods[] = {
    {"split_lines", (PyCFunction)(void (*)(void))split_lines, METH_FASTCALL, split_lines_doc},
    {"word_index", (PyCFunction)(void (*)(void))word_index, METH_FASTCALL, word_index_doc},
    {"word_hits", (PyCFunction)(void (*)(void))word_hits, METH_FASTCALL, word_hits_doc},
    {"line_table", (PyCFunction)(void (*)(void))line_table, METH_FASTCALL, line_table_doc},
    {"design_rows", (PyCFunction)(void (*)(void))design_rows, METH_FASTCALL, design_rows_doc},
    {"neighbour_rows", (PyCFunction)(void (*)(void))neighbour_rows, METH_FASTCALL, neighbour_rows_doc},
    {"regex_hits", (PyCFunction)(void (*)(void))regex_hits, METH_FASTCALL, regex_hits_doc},
    {"prefix_hits", (PyCFunction)(void (*)(void))prefix_hits, METH_FASTCALL, prefix_hits_doc},
    {"contains_hits", (PyCFunction)(void (*)(void))contains_hits, METH_FASTCALL, contains_hits_doc},
    {"exact_key", (PyCFunction)exact_key, METH_O, exact_key_doc},
    {"lexicon_match", (PyCFunction)(void (*)(void))lexicon_match, METH_FASTCALL, lexicon_match_doc},
    {"word_lists", (PyCFunction)(void (*)(void))word_lists, METH_FASTCALL, word_lists_doc},
    {"verdicts", (PyCFunction)(void (*)(void))verdicts, METH_FASTCALL, verdicts_doc},
    {"line_templates", (PyCFunction)(void (*)(void))line_templates, METH_FASTCALL, line_templates_doc},
    {"repeats", (PyCFunction)(void (*)(void))repeats, METH_FASTCALL, repeats_doc},
    {"repeats_of", (PyCFunction)(void (*)(void))repeats_of, METH_FASTCALL, repeats_of_doc},
    {"refine_rows", (PyCFunction)(void (*)(void))refine_rows, METH_FASTCALL, refine_rows_doc},
    {"footer_rows", (PyCFunction)(void (*)(void))footer_rows, METH_FASTCALL, footer_rows_doc},
    {"refine_counts", (PyCFunction)(void (*)(void))refine_counts, METH_FASTCALL, refine_counts_doc},
    {"blank_runs", (PyCFunction)(void (*)(void))blank_runs, METH_FASTCALL, blank_runs_doc},
    {"kept_lines", (PyCFunction)(void (*)(void))kept_lines, METH_FASTCALL, kept_lines_doc},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *module)
{
    /* repeats_of's word hashes, keyed by the process's str hash (randomised unless PYTHONHASHSEED
     * fixes it). */
    PyObject *key = PyUnicode_FromString("boilerstrip._cstages.repeats_of");
    Py_hash_t key_hash = key ? PyObject_Hash(key) : -1;
    Py_XDECREF(key);
    if (key_hash == -1)
        return -1;
    word_seed = word_end((uint64_t)key_hash, 0);
    /* The columns design_rows and neighbour_rows fill, in order (matrix.py checks them). */
    if (add_names(module, "DESIGN_HEAD", design_head_names, N_HEAD) < 0 ||
        add_names(module, "DESIGN_TAIL", design_tail_names, N_TAIL) < 0 ||
        add_names(module, "DESIGN_LOG1P", design_log_names, N_LOG) < 0 ||
        add_names(module, "NEIGHBOUR_NAMES", neighbour_names, N_NEIGHBOUR) < 0 ||
        add_names(module, "REFINE_FEATURE_FIELDS", refine_feature_names, N_RF) < 0 ||
        add_names(module, "REFINE_VERDICT_FIELDS", refine_verdict_names, N_RV) < 0 ||
        add_names(module, "FOOTER_FEATURE_FIELDS", footer_feature_names, 2) < 0 ||
        add_names(module, "FOOTER_VERDICT_FIELDS", footer_verdict_names, 2) < 0 ||
        add_names(module, "LINE_TEXT_FIELDS", blank_line_names, 2) < 0 ||
        add_names(module, "KEPT_VERDICT_FIELDS", kept_verdict_names, 2) < 0)
        return -1;
    /* The field names line_table reads, in the order it reads them (matrix.py checks them). */
    PyObject *feat = Py_BuildValue("(sssssssssssssss)", "chars", "words", "stop_ratio", "cap_ratio", "digit_ratio",
                                   "punct_ratio", "ends_sentence", "ends_colon", "sentences", "bullet", "cjk",
                                   "has_url", "word_score_sum", "word_score_n", "blank");
    PyObject *verdict = Py_BuildValue("(sss)", "kind", "scores", "header");
    PyObject *line = Py_BuildValue("(sss)", "index", "text", "ending");
    /* The fields verdicts fills, in order (context.py checks them against Verdict's). */
    PyObject *made = Py_BuildValue("(sssssss)", "kind", "score", "reasons", "scores", "header", "locked", "noise");
    int r = (feat && verdict && line && made && PyModule_AddObjectRef(module, "FEATURE_FIELDS", feat) == 0 &&
             PyModule_AddObjectRef(module, "VERDICT_FIELDS", verdict) == 0 &&
             PyModule_AddObjectRef(module, "LINE_FIELDS", line) == 0 &&
             PyModule_AddObjectRef(module, "VERDICT_INIT_FIELDS", made) == 0)
                ? 0
                : -1;
    Py_XDECREF(feat);
    Py_XDECREF(verdict);
    Py_XDECREF(line);
    Py_XDECREF(made);
    return r;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, (void *)exec_module},
    {0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    "boilerstrip._cstages",
    "Line splitting, language-detection counts, the design matrix and neighbour columns, the lexicon's\n"
    "candidate loops, duplicate detection's words and loop, the context-free verdict records, the\n"
    "learned model's decision loop, the footer, the kept lines and blank runs in C; see\n"
    "boilerstrip.segment, boilerstrip.langdetect, boilerstrip.matrix, boilerstrip.lexicon,\n"
    "boilerstrip.duplicates, boilerstrip.context, boilerstrip.refine, boilerstrip.decide and\n"
    "boilerstrip.render, which fall back to Python.",
    0,
    methods,
    slots,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC PyInit__cstages(void) { return PyModuleDef_Init(&moduledef); }
