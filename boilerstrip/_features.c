/* boilerstrip._cfeatures: features.features_of_lines in C.
 *
 * The same counts as the pure-Python path in features.py, from one walk over each line's head
 * instead of five regular-expression passes over the joined lines, and the LineFeatures records
 * filled in directly. Every count follows Python's own definitions: `re` (sre) character classes
 * for str patterns, str.strip/str.split/str.isupper, str.lower (called, not re-implemented) and
 * the builtin sum's float summation. features.py falls back to Python when this module is not
 * built, and this module hands a call back (returns NotImplemented) when its inputs are not the
 * plain types it knows: texts not an exact list or tuple of exact str, stop words not an exact
 * set or frozenset, word scores neither None nor an exact dict of exact floats.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* The LineFeatures fields in the order this module fills them (features.py checks the names). */
static const char *const FIELD_NAMES[] = {
    "key", "chars", "words", "tokens", "stop_ratio", "cap_ratio", "digit_ratio", "punct_ratio",
    "ends_sentence", "ends_colon", "sentences", "bullet", "cjk", "has_url", "word_score_sum",
    "word_score_n", "ends_ellipsis", "blank",
};
#define N_FIELDS ((Py_ssize_t)(sizeof(FIELD_NAMES) / sizeof(FIELD_NAMES[0])))

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE static inline
#endif

/* ---- character classes, as sre and str define them ------------------------------------------ */

/* \s and str.strip/str.split white space: SRE_UNI_IS_SPACE is Py_UNICODE_ISSPACE. */
ALWAYS_INLINE int is_space(Py_UCS4 c) { return Py_UNICODE_ISSPACE(c); }

/* [^\W\d_]: \w is SRE_UNI_IS_ALNUM (Py_UNICODE_ISALNUM) or "_", \d is Py_UNICODE_ISDECIMAL.
 * Below 128 that is exactly the ASCII letters. */
ALWAYS_INLINE int is_letter(Py_UCS4 c)
{
    if (c < 128)
        return (Py_UCS4)((c | 0x20) - 'a') < 26;
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

/* str.isupper of a one-character string. */
ALWAYS_INLINE int is_upper(Py_UCS4 c)
{
    if (c < 128)
        return (Py_UCS4)(c - 'A') < 26;
    return Py_UNICODE_ISUPPER(c) != 0;
}

/* _CJK_CHAR: [\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af] */
ALWAYS_INLINE int is_cjk(Py_UCS4 c)
{
    return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
           (c >= 0xf900 && c <= 0xfaff) || (c >= 0xac00 && c <= 0xd7af);
}

/* _WORD_START_NL's optional opener: ["'“‘(\[] */
ALWAYS_INLINE int is_word_opener(Py_UCS4 c)
{
    return c == '"' || c == '\'' || c == 0x201c || c == 0x2018 || c == '(' || c == '[';
}

/* _SENTENCE_BREAK_NL: [.!?。！？] ... |[。！？] */
ALWAYS_INLINE int is_cjk_stop(Py_UCS4 c) { return c == 0x3002 || c == 0xff01 || c == 0xff1f; }
ALWAYS_INLINE int is_stop(Py_UCS4 c) { return c == '.' || c == '!' || c == '?' || is_cjk_stop(c); }
/* ['\"’”)]? after the stop */
ALWAYS_INLINE int is_break_closer(Py_UCS4 c)
{
    return c == '\'' || c == '"' || c == 0x2019 || c == 0x201d || c == ')';
}
/* (?=[\"“‘'(]?[A-Z\u00c0-\u024f]) */
ALWAYS_INLINE int is_break_opener(Py_UCS4 c)
{
    return c == '"' || c == 0x201c || c == 0x2018 || c == '\'' || c == '(';
}
ALWAYS_INLINE int is_capital(Py_UCS4 c) { return (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0x24f); }

/* _CLOSERS, _END_PUNCT, _BULLETS, _BULLET_ALONE, ":：" */
ALWAYS_INLINE int is_closer(Py_UCS4 c)
{
    return c == '"' || c == '\'' || c == 0x201d || c == 0x2019 || c == 0xbb || c == ')' || c == ']';
}
ALWAYS_INLINE int is_end_punct(Py_UCS4 c) { return is_stop(c) || c == 0x2026; }
ALWAYS_INLINE int is_bullet_alone(Py_UCS4 c)
{
    switch (c) {
    case 0x2022: case 0xb7: case 0x25aa: case 0x25b8: case 0x25ba: case 0x2023: case 0x25e6:
    case 0x25cf: case 0x25a0: case 0x25a1: case 0x27a4:
        return 1;
    default:
        return 0;
    }
}
ALWAYS_INLINE int is_bullet(Py_UCS4 c)
{
    switch (c) {
    case '-': case '*': case 0x2013: case 0x2014: case '>': case 0xbb: case 0x2192:
        return 1;
    default:
        return is_bullet_alone(c);
    }
}

/* ---- Python's sum() of floats, started from the int 0 ---------------------------------------- */

/* sum() adds the first float to the int 0 (0.0 + x, which turns -0.0 into 0.0), then adds the
 * rest as doubles: plainly up to Python 3.11, with Neumaier's compensation from 3.12 on
 * (Python/bltinmodule.c, builtin_sum_impl). */
typedef struct {
    double hi, lo;
    Py_ssize_t n;
} FloatSum;

ALWAYS_INLINE void fsum_add(FloatSum *s, double x)
{
    if (s->n++ == 0) {
        s->hi = 0.0 + x;
        s->lo = 0.0;
        return;
    }
#if PY_VERSION_HEX >= 0x030C0000
    double t = s->hi + x;
    if (fabs(s->hi) >= fabs(x))
        s->lo += (s->hi - t) + x;
    else
        s->lo += (x - t) + s->hi;
    s->hi = t;
#else
    s->hi += x;
#endif
}

ALWAYS_INLINE double fsum_value(const FloatSum *s)
{
    if (s->n == 0)
        return 0.0; /* float(sum([])) */
#if PY_VERSION_HEX >= 0x030C0000
    if (s->lo != 0.0 && isfinite(s->lo))
        return s->hi + s->lo;
#endif
    return s->hi;
}

/* ---- per-line counts ------------------------------------------------------------------------- */

typedef struct {
    Py_ssize_t index;      /* in texts */
    Py_ssize_t chars;      /* len(s), s the stripped line */
    Py_ssize_t head_chars; /* len(head), head = s[:FEATURE_TEXT_CHARS] */
    Py_ssize_t spaces, words_space, cjk, digits, firsts, upper, breaks;
    Py_ssize_t n_tok, stops, tok_chars, n_known;
    double known;
    int has_url, ends_sentence, ends_colon, bullet, ends_ellipsis;
} Line;

/* Does the sentence-break alternative [.!?。！？]['\"’”)]?[^\S\n]+(?=[\"“‘'(]?[A-Z\u00c0-\u024f])
 * match at i (head[i] a stop)? Backtracking cannot help it: without the closer the white space
 * would have to start on the closer, and a shorter run leaves white space for the lookahead. */
ALWAYS_INLINE int break_at(const int kind, const void *data, Py_ssize_t n, Py_ssize_t i)
{
    Py_ssize_t j = i + 1, k;
    if (j < n && is_break_closer(PyUnicode_READ(kind, data, j)))
        j++;
    for (k = j; k < n; k++) {
        Py_UCS4 d = PyUnicode_READ(kind, data, k);
        if (d == '\n' || !is_space(d))
            break;
    }
    if (k == j || k >= n)
        return 0;
    Py_UCS4 d = PyUnicode_READ(kind, data, k);
    if (is_capital(d))
        return 1;
    return is_break_opener(d) && k + 1 < n && is_capital(PyUnicode_READ(kind, data, k + 1));
}

/* One walk over a line's head (its line breaks already spaces), counting what the whole-document
 * patterns count in it: spaces, split() words, CJK characters, ASCII digits, word starts (a
 * letter, or an opener and a letter, after white space or at the start) and capitalised ones,
 * sentence breaks, and whether it holds "http" or "www.". */
ALWAYS_INLINE void scan_head_kind(const int kind, const void *data, Py_ssize_t n, Line *ln)
{
    Py_ssize_t spaces = 0, runs = 0, cjk = 0, digits = 0, firsts = 0, upper = 0, breaks = 0;
    int double_space = 0, tab = 0, url = 0, after_space = 1;
    Py_UCS4 prev = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (is_space(c)) {
            if (c == ' ') {
                spaces++;
                double_space |= prev == ' ';
            }
            else if (c == '\t')
                tab = 1;
            after_space = 1;
            prev = c;
            continue;
        }
        if (after_space) {
            runs++;
            Py_UCS4 w = 0;
            if (is_letter(c))
                w = c;
            else if (is_word_opener(c) && i + 1 < n && is_letter(PyUnicode_READ(kind, data, i + 1)))
                w = PyUnicode_READ(kind, data, i + 1);
            if (w) {
                firsts++;
                upper += is_upper(w);
            }
            after_space = 0;
        }
        if (c >= '0' && c <= '9')
            digits++;
        else if (c >= 0x3040 && is_cjk(c))
            cjk++;
        else if (is_stop(c))
            breaks += break_at(kind, data, n, i) || is_cjk_stop(c);
        else if (!url && i + 3 < n) {
            if (c == 'h')
                url = PyUnicode_READ(kind, data, i + 1) == 't' && PyUnicode_READ(kind, data, i + 2) == 't' &&
                      PyUnicode_READ(kind, data, i + 3) == 'p';
            else if (c == 'w')
                url = PyUnicode_READ(kind, data, i + 1) == 'w' && PyUnicode_READ(kind, data, i + 2) == 'w' &&
                      PyUnicode_READ(kind, data, i + 3) == '.';
        }
        prev = c;
    }
    ln->spaces = spaces;
    ln->words_space = (double_space || tab) ? runs : spaces + 1;
    ln->cjk = cjk;
    ln->digits = digits;
    ln->firsts = firsts;
    ln->upper = upper;
    ln->breaks = breaks;
    ln->has_url = url;
}

static void scan_head(PyObject *head, Line *ln)
{
    const void *data = PyUnicode_DATA(head);
    Py_ssize_t n = PyUnicode_GET_LENGTH(head);
    switch (PyUnicode_KIND(head)) {
    case PyUnicode_1BYTE_KIND:
        scan_head_kind(PyUnicode_1BYTE_KIND, data, n, ln);
        break;
    case PyUnicode_2BYTE_KIND:
        scan_head_kind(PyUnicode_2BYTE_KIND, data, n, ln);
        break;
    default:
        scan_head_kind(PyUnicode_4BYTE_KIND, data, n, ln);
        break;
    }
}

/* ---- the vocabulary table -------------------------------------------------------------------- */

/* VocabTable: the ASCII words of a stop-word set and a word-score dict, answered from a token's
 * characters with no str made and no Python lookup. Built once from the set and the dict, which
 * it keeps and is only used with (features.py caches one per immutable model.WordScores, so the
 * dict cannot change under it); a token that is not ASCII is still looked up in the set and the
 * dict. Open addressing with linear probing over a power-of-two array of slots at most two
 * thirds full. A slot holds all a lookup needs: the word's first 16 bytes as two integers, its
 * length, what the set and the dict say of it (a stop word or not, and a float score, no score
 * (absent or None) or a value that is not an exact float: the call is then handed back, as
 * count_token does) and the score, so a word of up to 16 bytes is found in one 32-byte slot;
 * the bytes of a longer word past its 16th are in a separate array. */

enum { VOCAB_STOP = 1, VOCAB_SCORE = 2, VOCAB_NOT_FLOAT = 4, VOCAB_FLAG_BITS = 4 };
#define VOCAB_INLINE 16                                    /* bytes of a word kept in its slot */
#define VOCAB_MAX_WORD ((Py_ssize_t)(UINT32_MAX >> VOCAB_FLAG_BITS) - 1) /* so that meta fits */

typedef struct {
    uint64_t w0, w1;   /* the word's key (vocab_key_add) */
    double score;      /* with VOCAB_SCORE */
    uint32_t rest;     /* a word of more than 16 bytes: its bytes from the 17th are bytes[rest:] */
    uint32_t meta;     /* (length + 1) << VOCAB_FLAG_BITS | flags; 0 for an empty slot */
} VocabSlot;

typedef struct {
    PyObject_HEAD
    PyObject *stop;      /* the set and the dict it was built from */
    PyObject *scores;
    Py_ssize_t n_scores; /* len(scores) then */
    VocabSlot *slots;    /* in slots_mem, aligned to 64 bytes (two slots a cache line) */
    void *slots_mem;
    size_t mask;         /* number of slots - 1 */
    int shift;           /* 64 - log2(number of slots) */
    Py_ssize_t n_words;
    unsigned char *bytes;
    Py_ssize_t n_bytes;
    Py_ssize_t max_len;  /* of the longest word: a longer token is none of them */
    uint64_t hash_mask;  /* all ones; fewer bits only in tests, to force collisions */
} VocabTable;

static PyTypeObject VocabTableType;

/* The first 16 characters of a word (all ASCII) as two little-endian integers: character m of
 * the first 8 in bits 8m to 8m + 7 of w0, of the next 8 in w1, zeros past the end. */
ALWAYS_INLINE void vocab_key_add(uint64_t *w0, uint64_t *w1, Py_ssize_t m, Py_UCS4 c)
{
    uint64_t b = (uint64_t)(c & 0xff) << (8 * (m & 7));
    if (m < 8)
        *w0 |= b;
    else if (m < VOCAB_INLINE)
        *w1 |= b;
}

/* The hash of a word from its key and length (a longer word's further bytes are not hashed);
 * the slot from its high bits by Fibonacci hashing. */
ALWAYS_INLINE uint64_t vocab_hash(uint64_t w0, uint64_t w1, Py_ssize_t n)
{
    uint64_t h = w0 * 0x9e3779b97f4a7c15ULL ^ w1 * 0xc2b2ae3d27d4eb4fULL ^ (uint64_t)n * 0x165667b19e3779f9ULL;
    return h ^ (h >> 32);
}
ALWAYS_INLINE size_t vocab_home(const VocabTable *t, uint64_t h)
{
    return (size_t)((h * 0x9e3779b97f4a7c15ULL) >> t->shift);
}

/* The slot of the word of n characters (n <= VOCAB_MAX_WORD) at data[i:], each OR-ed with fold
 * (0x20 lower-cases the ASCII letters a token is made of; 0 reads them as they are), whose
 * characters are all ASCII, w0 and w1 its key and h its (masked) hash; NULL when it is not in
 * the table. */
ALWAYS_INLINE const VocabSlot *vocab_find(const VocabTable *t, uint64_t w0, uint64_t w1, uint64_t h, const int kind,
                                          const void *data, Py_ssize_t i, Py_ssize_t n, Py_UCS4 fold)
{
    const uint32_t meta = (uint32_t)(n + 1) << VOCAB_FLAG_BITS;
    for (size_t k = vocab_home(t, h);; k = (k + 1) & t->mask) {
        const VocabSlot *s = &t->slots[k];
        if (s->w0 == w0 && s->w1 == w1 && (s->meta >> VOCAB_FLAG_BITS << VOCAB_FLAG_BITS) == meta) {
            if (n <= VOCAB_INLINE)
                return s;
            const unsigned char *w = t->bytes + s->rest;
            Py_ssize_t m = VOCAB_INLINE;
            while (m < n && (PyUnicode_READ(kind, data, i + m) | fold) == w[m - VOCAB_INLINE])
                m++;
            if (m == n)
                return s;
        }
        else if (s->meta == 0)
            return NULL;
    }
}

/* Adds the word (ASCII, n bytes at w) to the table, or finds it there; NULL when full. */
static VocabSlot *vocab_add(VocabTable *t, const unsigned char *w, Py_ssize_t n, Py_ssize_t capacity)
{
    uint64_t w0 = 0, w1 = 0;
    for (Py_ssize_t m = 0; m < n && m < VOCAB_INLINE; m++)
        vocab_key_add(&w0, &w1, m, w[m]);
    uint64_t h = vocab_hash(w0, w1, n) & t->hash_mask;
    VocabSlot *found = (VocabSlot *)vocab_find(t, w0, w1, h, PyUnicode_1BYTE_KIND, w, 0, n, 0);
    if (found != NULL)
        return found;
    if (t->n_words >= capacity) /* cannot happen: capacity counts every word */
        return NULL;
    size_t k = vocab_home(t, h);
    while (t->slots[k].meta != 0)
        k = (k + 1) & t->mask;
    VocabSlot *s = &t->slots[k];
    t->n_words++;
    s->w0 = w0;
    s->w1 = w1;
    s->score = 0.0;
    s->rest = (uint32_t)t->n_bytes;
    s->meta = (uint32_t)(n + 1) << VOCAB_FLAG_BITS;
    if (n > VOCAB_INLINE) {
        memcpy(t->bytes + t->n_bytes, w + VOCAB_INLINE, (size_t)(n - VOCAB_INLINE));
        t->n_bytes += n - VOCAB_INLINE;
    }
    if (n > t->max_len)
        t->max_len = n;
    return s;
}

/* A word of the set or the dict: an exact str (else TypeError), and whether it is ASCII. */
static int vocab_word(PyObject *w)
{
    if (!PyUnicode_CheckExact(w)) {
        PyErr_SetString(PyExc_TypeError, "VocabTable: the stop words and the scored words must be exact str");
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(w) < 0)
        return -1;
#endif
    if (!PyUnicode_IS_ASCII(w))
        return 0;
    if (PyUnicode_GET_LENGTH(w) > VOCAB_MAX_WORD) { /* TypeError: features.vocab_table then gives no table */
        PyErr_SetString(PyExc_TypeError, "VocabTable: a word of more than 2**28 - 2 characters");
        return -1;
    }
    return 1;
}

/* The bytes of an ASCII word kept out of its slot. */
static Py_ssize_t vocab_rest(PyObject *w)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(w);
    return n > VOCAB_INLINE ? n - VOCAB_INLINE : 0;
}

static int vocab_fill(VocabTable *t)
{
    /* Count the ASCII words and the bytes kept out of their slots, then size the arrays and add them. */
    Py_ssize_t words = 0, n_bytes = 0, pos = 0;
    PyObject *key, *value, *it, *w;
    it = PyObject_GetIter(t->stop);
    if (it == NULL)
        return -1;
    while ((w = PyIter_Next(it)) != NULL) {
        int r = vocab_word(w);
        if (r > 0) {
            words++;
            n_bytes += vocab_rest(w);
        }
        Py_DECREF(w);
        if (r < 0) {
            Py_DECREF(it);
            return -1;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return -1;
    while (PyDict_Next(t->scores, &pos, &key, &value)) {
        int r = vocab_word(key);
        if (r < 0)
            return -1;
        if (r > 0) {
            words++;
            n_bytes += vocab_rest(key);
        }
    }
    if (words >= (Py_ssize_t)(UINT32_MAX / 4) || n_bytes >= (Py_ssize_t)UINT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "VocabTable: too many words");
        return -1;
    }
    size_t n_slots = 8;
    while (2 * n_slots < 3 * (size_t)words) /* at most two thirds full */
        n_slots *= 2;
    t->mask = n_slots - 1;
    t->shift = 64;
    for (size_t s = n_slots; s > 1; s >>= 1)
        t->shift--;
    t->slots_mem = PyMem_Calloc(n_slots * sizeof(VocabSlot) + 63, 1);
    t->bytes = PyMem_Malloc(n_bytes ? (size_t)n_bytes : 1);
    if (t->slots_mem == NULL || t->bytes == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    t->slots = (VocabSlot *)(((uintptr_t)t->slots_mem + 63) & ~(uintptr_t)63);

    it = PyObject_GetIter(t->stop);
    if (it == NULL)
        return -1;
    while ((w = PyIter_Next(it)) != NULL) {
        VocabSlot *s = NULL;
        if (PyUnicode_IS_ASCII(w)) {
            s = vocab_add(t, PyUnicode_1BYTE_DATA(w), PyUnicode_GET_LENGTH(w), words);
            if (s != NULL)
                s->meta |= VOCAB_STOP;
        }
        int ascii = PyUnicode_IS_ASCII(w);
        Py_DECREF(w);
        if (ascii && s == NULL) {
            Py_DECREF(it);
            PyErr_SetString(PyExc_RuntimeError, "VocabTable: the set changed while it was read");
            return -1;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return -1;
    pos = 0;
    while (PyDict_Next(t->scores, &pos, &key, &value)) {
        if (!PyUnicode_IS_ASCII(key))
            continue;
        VocabSlot *s = vocab_add(t, PyUnicode_1BYTE_DATA(key), PyUnicode_GET_LENGTH(key), words);
        if (s == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "VocabTable: the dict changed while it was read");
            return -1;
        }
        if (value == Py_None)
            continue; /* no score, as count_token reads None */
        if (PyFloat_CheckExact(value)) {
            s->meta |= VOCAB_SCORE;
            s->score = PyFloat_AS_DOUBLE(value);
        }
        else
            s->meta |= VOCAB_NOT_FLOAT;
    }
    t->n_scores = PyDict_GET_SIZE(t->scores);
    return 0;
}

static PyObject *VocabTable_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"stop", "scores", "hash_bits", NULL};
    PyObject *stop, *scores;
    int hash_bits = 64;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|i:VocabTable", kwlist, &stop, &scores, &hash_bits))
        return NULL;
    if (!PyAnySet_CheckExact(stop) || !PyDict_CheckExact(scores)) {
        PyErr_SetString(PyExc_TypeError, "VocabTable(stop, scores): an exact set or frozenset and an exact dict");
        return NULL;
    }
    if (hash_bits < 0 || hash_bits > 64) {
        PyErr_SetString(PyExc_ValueError, "VocabTable: hash_bits is 0 to 64");
        return NULL;
    }
    VocabTable *t = (VocabTable *)type->tp_alloc(type, 0);
    if (t == NULL)
        return NULL;
    t->stop = Py_NewRef(stop);
    t->scores = Py_NewRef(scores);
    t->hash_mask = hash_bits == 64 ? ~(uint64_t)0 : (((uint64_t)1 << hash_bits) - 1);
    if (vocab_fill(t) < 0) {
        Py_DECREF(t);
        return NULL;
    }
    return (PyObject *)t;
}

static int VocabTable_traverse(VocabTable *t, visitproc visit, void *arg)
{
    Py_VISIT(t->stop);
    Py_VISIT(t->scores);
    return 0;
}

static int VocabTable_clear(VocabTable *t)
{
    Py_CLEAR(t->stop);
    Py_CLEAR(t->scores);
    return 0;
}

static void VocabTable_dealloc(VocabTable *t)
{
    PyObject_GC_UnTrack(t);
    VocabTable_clear(t);
    PyMem_Free(t->slots_mem);
    PyMem_Free(t->bytes);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static Py_ssize_t VocabTable_len(VocabTable *t) { return t->n_words; }

static PyObject *VocabTable_lookup(VocabTable *t, PyObject *word)
{
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "lookup: a str");
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(word) < 0)
        return NULL;
#endif
    if (!PyUnicode_CheckExact(word) || !PyUnicode_IS_ASCII(word))
        Py_RETURN_NONE;
    const Py_UCS1 *w = PyUnicode_1BYTE_DATA(word);
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    const VocabSlot *s = NULL;
    if (n <= t->max_len) {
        uint64_t w0 = 0, w1 = 0;
        for (Py_ssize_t m = 0; m < n && m < VOCAB_INLINE; m++)
            vocab_key_add(&w0, &w1, m, w[m]);
        s = vocab_find(t, w0, w1, vocab_hash(w0, w1, n) & t->hash_mask, PyUnicode_1BYTE_KIND, w, 0, n, 0);
    }
    uint32_t flags = s != NULL ? s->meta : 0;
    PyObject *stop = flags & VOCAB_STOP ? Py_True : Py_False;
    if (flags & VOCAB_SCORE)
        return Py_BuildValue("(Od)", stop, s->score);
    return Py_BuildValue("(OO)", stop, flags & VOCAB_NOT_FLOAT ? Py_NotImplemented : Py_None);
}

static PyObject *VocabTable_get_stop(VocabTable *t, void *closure)
{
    (void)closure;
    return Py_NewRef(t->stop ? t->stop : Py_None);
}

static PyObject *VocabTable_get_scores(VocabTable *t, void *closure)
{
    (void)closure;
    return Py_NewRef(t->scores ? t->scores : Py_None);
}

static PyMethodDef VocabTable_methods[] = {
    {"lookup", (PyCFunction)VocabTable_lookup, METH_O,
     "lookup(word) -> (stop, score) for an ASCII str: whether it is a stop word, and its float score,\n"
     "None for none (absent or None), or NotImplemented when its value is not an exact float (the\n"
     "features core then hands the call back). None for a word the table does not answer for."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef VocabTable_getset[] = {
    {"stop", (getter)VocabTable_get_stop, NULL, "The stop-word set it was built from.", NULL},
    {"scores", (getter)VocabTable_get_scores, NULL, "The word-score dict it was built from.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PySequenceMethods VocabTable_as_sequence = {
    .sq_length = (lenfunc)VocabTable_len,
};

PyDoc_STRVAR(VocabTable_doc,
"VocabTable(stop, scores, hash_bits=64)\n"
"--\n\n"
"The ASCII words of the stop-word set ``stop`` and the word-score dict ``scores`` (exact str\n"
"each, else TypeError) in a C hash table, for features_of_lines to look tokens up without\n"
"making a str. It keeps ``stop`` and ``scores`` and answers for them only: the dict must not\n"
"change afterwards. ``hash_bits`` keeps fewer bits of the hash, for tests to force collisions.\n"
"len() is the number of words.");

static PyTypeObject VocabTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "boilerstrip._cfeatures.VocabTable",
    .tp_doc = VocabTable_doc,
    .tp_basicsize = sizeof(VocabTable),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = VocabTable_new,
    .tp_dealloc = (destructor)VocabTable_dealloc,
    .tp_traverse = (traverseproc)VocabTable_traverse,
    .tp_clear = (inquiry)VocabTable_clear,
    .tp_methods = VocabTable_methods,
    .tp_getset = VocabTable_getset,
    .tp_as_sequence = &VocabTable_as_sequence,
};

/* What the tokens are looked up in. */
typedef struct {
    PyObject *stop;        /* a set or frozenset, or NULL when empty */
    PyObject *scores;      /* a dict, or NULL when there are none */
    const VocabTable *table; /* their ASCII words, or NULL: then every token is looked up in them */
    PyObject *str_lower;   /* str.lower */
    int not_float;         /* a score was not an exact float: hand the call back */
} Lookup;

static int count_token(PyObject *tok, Lookup *lk, Line *ln, FloatSum *sum)
{
    if (lk->stop != NULL) {
        int r = PySet_Contains(lk->stop, tok);
        if (r < 0)
            return -1;
        ln->stops += r;
    }
    if (lk->scores != NULL) {
        PyObject *v = PyDict_GetItemWithError(lk->scores, tok); /* borrowed */
        if (v == NULL) {
            if (PyErr_Occurred())
                return -1;
        }
        else if (v != Py_None) {
            if (!PyFloat_CheckExact(v)) {
                lk->not_float = 1;
                return 0;
            }
            fsum_add(sum, PyFloat_AS_DOUBLE(v));
        }
    }
    return 0;
}

/* Counts a token the table found (s) or not (NULL). */
ALWAYS_INLINE void vocab_count(const VocabSlot *s, Lookup *lk, Line *ln, FloatSum *sum)
{
    if (s != NULL) {
        ln->stops += s->meta & VOCAB_STOP;
        if (s->meta & VOCAB_SCORE)
            fsum_add(sum, s->score);
        else if (s->meta & VOCAB_NOT_FLOAT)
            lk->not_float = 1;
    }
}

/* ---- the tokens of an ASCII head, eight characters at a time --------------------------------- */

#define BYTES_01 0x0101010101010101ULL
#define BYTES_80 0x8080808080808080ULL

/* The n (> 0) characters at p, at most 8, as a little-endian integer (p[0] in the low byte),
 * zeros past n. */
ALWAYS_INLINE uint64_t load_le(const unsigned char *p, Py_ssize_t n)
{
    uint64_t v = 0;
    if (n >= 8) {
        memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        v = __builtin_bswap64(v);
#endif
        return v;
    }
    for (Py_ssize_t m = 0; m < n; m++)
        v |= (uint64_t)p[m] << (8 * m);
    return v;
}

/* 0x80 in each byte of v (ASCII bytes, OR-ed with 0x20) that is a lower-case ASCII letter: the
 * bytes from 'a' up, less those from '{' up; no byte carries into the next (0x7f + 0x1f < 0x100). */
ALWAYS_INLINE uint64_t ascii_letters(uint64_t folded)
{
    return (folded + 0x1f * BYTES_01) & ~(folded + 0x05 * BYTES_01) & BYTES_80;
}

/* The index of the lowest byte with its 0x80 bit set in x (x != 0, only 0x80 bits set). */
ALWAYS_INLINE Py_ssize_t low_byte(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return (Py_ssize_t)(__builtin_ctzll(x) >> 3);
#else
    Py_ssize_t b = 0;
    while (!(x & 0x80))
        x >>= 8, b++;
    return b;
#endif
}

/* The tokens of an ASCII head (data[:n]), looked up in the table: each a run of ASCII letters,
 * read lower-cased (OR-ed with 0x20), found eight characters at a time with its key. */
static void count_ascii_tokens(const Py_UCS1 *data, Py_ssize_t n, Lookup *lk, Line *ln, FloatSum *sum)
{
    const VocabTable *t = lk->table;
    const uint64_t fold = 0x20 * BYTES_01;
    Py_ssize_t i = 0;
    while (i < n) {
        uint64_t L = ascii_letters(load_le(data + i, n - i) | fold);
        if (L == 0) {
            i += 8;
            continue;
        }
        i += low_byte(L); /* the token starts here */
        uint64_t w0 = load_le(data + i, n - i) | fold, w1 = 0;
        uint64_t end = ~ascii_letters(w0) & BYTES_80;
        Py_ssize_t len;
        if (end) {
            len = low_byte(end);
            w0 &= ((uint64_t)1 << (8 * len)) - 1;
        }
        else {
            w1 = i + 8 < n ? load_le(data + i + 8, n - i - 8) | fold : 0;
            end = ~ascii_letters(w1) & BYTES_80;
            if (end) {
                len = 8 + low_byte(end);
                w1 &= ((uint64_t)1 << (8 * (len - 8))) - 1;
            }
            else { /* 16 letters or more: a zero-padded partial load ends the run */
                for (len = 16; i + len < n; len += 8) {
                    end = ~ascii_letters(load_le(data + i + len, n - i - len) | fold) & BYTES_80;
                    if (end) {
                        len += low_byte(end);
                        break;
                    }
                }
            }
        }
        ln->n_tok++;
        ln->tok_chars += len;
        if (len <= t->max_len)
            vocab_count(vocab_find(t, w0, w1, vocab_hash(w0, w1, len) & t->hash_mask, PyUnicode_1BYTE_KIND, data, i,
                                   len, 0x20),
                        lk, ln, sum);
        i += len;
    }
}

/* _TOKEN over the lower-cased head: a CJK character alone, or a run of letters (which may go on
 * through CJK characters once started). */
ALWAYS_INLINE Py_ssize_t token_end(const int kind, const void *data, Py_ssize_t n, Py_ssize_t i)
{
    Py_UCS4 c = PyUnicode_READ(kind, data, i);
    if (c >= 0x3040 && is_cjk(c))
        return i + 1;
    if (!is_letter(c))
        return i;
    for (i++; i < n && is_letter(PyUnicode_READ(kind, data, i)); i++)
        ;
    return i;
}

/* Would str.lower change no character of s but the ASCII capitals? It maps each character on
 * its own (save a capital sigma, which its simple mapping changes too) by its full mapping, and
 * the one character whose full mapping is not its simple one (U+0130, two characters) is
 * changed by both, so a character whose simple mapping (Py_UNICODE_TOLOWER) keeps it is kept. */
static int lower_changes_ascii_only(PyObject *s)
{
    const int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 128 && Py_UNICODE_TOLOWER(c) != c)
            return 0;
    }
    return 1;
}

/* The token of ASCII letters data[i:j], lower-cased, as a str. */
static PyObject *ascii_token(const int kind, const void *data, Py_ssize_t i, Py_ssize_t j)
{
    PyObject *tok = PyUnicode_New(j - i, 127);
    if (tok == NULL)
        return NULL;
    Py_UCS1 *out = PyUnicode_1BYTE_DATA(tok);
    for (Py_ssize_t k = i; k < j; k++)
        out[k - i] = (Py_UCS1)(PyUnicode_READ(kind, data, k) | 0x20); /* letters only */
    return tok;
}

/* The token src[i:j] as str.lower makes it, src being the lower-cased head or (raw) the head. */
static PyObject *token_str(PyObject *src, Py_ssize_t i, Py_ssize_t j, int raw, PyObject *str_lower)
{
    PyObject *tok = PyUnicode_Substring(src, i, j);
    if (tok == NULL || !raw)
        return tok;
    const int kind = PyUnicode_KIND(tok);
    const void *data = PyUnicode_DATA(tok);
    for (Py_ssize_t k = 0; k < j - i; k++)
        if ((Py_UCS4)(PyUnicode_READ(kind, data, k) - 'A') < 26) {
            Py_SETREF(tok, PyObject_CallOneArg(str_lower, tok));
            break;
        }
    return tok;
}

/* The tokens of a head that is not ASCII, read from src: the lower-cased head, or (raw) the head
 * itself when str.lower would change none of its characters but the ASCII capitals. A token of
 * ASCII letters, read lower-cased with its key made as it is found, goes to the table if there is
 * one (unless longer than every word: then nowhere); the others to the set and the dict. */
ALWAYS_INLINE int count_tokens_kind(const int kind, PyObject *src, int raw, Lookup *lk, Line *ln, FloatSum *sum)
{
    const void *data = PyUnicode_DATA(src);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(src);
    const VocabTable *t = lk->table;
    const int need_str = lk->stop != NULL || lk->scores != NULL;
    for (Py_ssize_t i = 0; i < n;) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_ssize_t j = i;
        uint64_t w0 = 0, w1 = 0;
        while ((Py_UCS4)((c | 0x20) - 'a') < 26) { /* an ASCII letter */
            vocab_key_add(&w0, &w1, j - i, c | 0x20);
            if (++j == n)
                break;
            c = PyUnicode_READ(kind, data, j);
        }
        int ascii = 1;
        if (j == i) {
            j = c < 128 ? i : token_end(kind, data, n, i);
            if (j == i) {
                i++;
                continue;
            }
            ascii = 0;
        }
        else if (j < n && c >= 128 && is_letter(c)) { /* the run goes on */
            for (j++; j < n && is_letter(PyUnicode_READ(kind, data, j)); j++)
                ;
            ascii = 0;
        }
        ln->n_tok++;
        ln->tok_chars += j - i;
        if (ascii && t != NULL) {
            if (j - i <= t->max_len)
                vocab_count(vocab_find(t, w0, w1, vocab_hash(w0, w1, j - i) & t->hash_mask, kind, data, i, j - i, 0x20),
                            lk, ln, sum);
        }
        else if (need_str) {
            PyObject *tok = ascii ? ascii_token(kind, data, i, j) : token_str(src, i, j, raw, lk->str_lower);
            if (tok == NULL)
                return -1;
            int r = count_token(tok, lk, ln, sum);
            Py_DECREF(tok);
            if (r < 0)
                return -1;
        }
        i = j;
    }
    return 0;
}

static int count_tokens(PyObject *head, Lookup *lk, Line *ln)
{
    FloatSum sum = {0.0, 0.0, 0};
    int r = 0;
    ln->n_tok = ln->stops = ln->tok_chars = 0;
    if (PyUnicode_IS_ASCII(head) && lk->table != NULL)
        count_ascii_tokens(PyUnicode_1BYTE_DATA(head), PyUnicode_GET_LENGTH(head), lk, ln, &sum);
    else if (PyUnicode_IS_ASCII(head)) {
        /* Lower-casing ASCII maps A-Z to a-z and nothing else: no lower-cased copy needed. */
        const Py_UCS1 *data = PyUnicode_1BYTE_DATA(head);
        Py_ssize_t n = PyUnicode_GET_LENGTH(head);
        int need_str = lk->stop != NULL || lk->scores != NULL;
        for (Py_ssize_t i = 0; i < n;) {
            Py_ssize_t j = token_end(PyUnicode_1BYTE_KIND, data, n, i);
            if (j == i) {
                i++;
                continue;
            }
            ln->n_tok++;
            ln->tok_chars += j - i;
            if (need_str) {
                PyObject *tok = ascii_token(PyUnicode_1BYTE_KIND, data, i, j);
                if (tok == NULL)
                    return -1;
                r = count_token(tok, lk, ln, &sum);
                Py_DECREF(tok);
                if (r < 0)
                    return -1;
            }
            i = j;
        }
    }
    else {
        int raw = lower_changes_ascii_only(head);
        PyObject *src = raw ? Py_NewRef(head) : PyObject_CallOneArg(lk->str_lower, head);
        if (src == NULL)
            return -1;
        if (!PyUnicode_Check(src)) {
            Py_DECREF(src);
            PyErr_SetString(PyExc_TypeError, "str.lower did not return a str");
            return -1;
        }
        switch (PyUnicode_KIND(src)) {
        case PyUnicode_1BYTE_KIND:
            r = count_tokens_kind(PyUnicode_1BYTE_KIND, src, raw, lk, ln, &sum);
            break;
        case PyUnicode_2BYTE_KIND:
            r = count_tokens_kind(PyUnicode_2BYTE_KIND, src, raw, lk, ln, &sum);
            break;
        default:
            r = count_tokens_kind(PyUnicode_4BYTE_KIND, src, raw, lk, ln, &sum);
            break;
        }
        Py_DECREF(src);
        if (r < 0)
            return -1;
    }
    ln->known = fsum_value(&sum);
    ln->n_known = sum.n;
    return 0;
}

/* The per-line features that read the whole stripped line s = text[start:end]. */
static void scan_ends(PyObject *text, Py_ssize_t start, Py_ssize_t end, Line *ln)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 first = PyUnicode_READ(kind, data, start), last = PyUnicode_READ(kind, data, end - 1);
    Py_ssize_t core = end; /* s.rstrip(_CLOSER_CHARS) when s ends with a closer */
    if (is_closer(last))
        while (core > start && is_closer(PyUnicode_READ(kind, data, core - 1)))
            core--;
    ln->ends_sentence = core > start && is_end_punct(PyUnicode_READ(kind, data, core - 1));
    ln->ends_ellipsis = 0;
    if (ln->ends_sentence) {
        if (PyUnicode_READ(kind, data, core - 1) == 0x2026)
            ln->ends_ellipsis = 1;
        else if (core - start >= 3)
            ln->ends_ellipsis = PyUnicode_READ(kind, data, core - 1) == '.' &&
                                PyUnicode_READ(kind, data, core - 2) == '.' &&
                                PyUnicode_READ(kind, data, core - 3) == '.';
    }
    ln->ends_colon = last == ':' || last == 0xff1a;
    if (is_bullet(first)) {
        /* s[1] == " ", s's line breaks being spaces */
        Py_UCS4 second = end - start > 1 ? PyUnicode_READ(kind, data, start + 1) : 0;
        ln->bullet = end - start == 1 || second == ' ' || second == '\n' || is_bullet_alone(first);
    }
    else
        ln->bullet = 0;
}

/* ---- line keys (lexicon.line_keys) ---------------------------------------------------------- */

/* lexicon._QUOTES: the quotes straightened and the no-break space made a space before lower-casing. */
ALWAYS_INLINE Py_UCS4 straighten(Py_UCS4 c)
{
    switch (c) {
    case 0x2018: case 0x2019:
        return '\'';
    case 0x201c: case 0x201d:
        return '"';
    case 0xa0:
        return ' ';
    default:
        return c;
    }
}

/* lexicon._LEAD without its \s: [\-\u2013\u2014\u2022\u00b7\u25aa\u25b8\u25ba\u2023*>»›|#+] */
ALWAYS_INLINE int is_lead(Py_UCS4 c)
{
    switch (c) {
    case '-': case 0x2013: case 0x2014: case 0x2022: case 0xb7: case 0x25aa: case 0x25b8: case 0x25ba:
    case 0x2023: case '*': case '>': case 0xbb: case 0x203a: case '|': case '#': case '+':
        return 1;
    default:
        return 0;
    }
}

/* A scratch buffer of code points, grown on demand, freed at the end of the call. */
typedef struct {
    Py_UCS4 *buf;
    Py_ssize_t size;
} Scratch;

static Py_UCS4 *scratch(Scratch *s, Py_ssize_t n)
{
    if (n > s->size) {
        Py_ssize_t size = n < 512 ? 512 : n;
        Py_UCS4 *buf = PyMem_Realloc(s->buf, (size_t)size * sizeof(Py_UCS4));
        if (buf == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        s->buf = buf;
        s->size = size;
    }
    return s->buf;
}

/* The lower-cased text's leading run of white space and lexicon._LEAD characters dropped
 * (_LEAD.sub) and its white space folded (" ".join(text.split())), as a new str. */
ALWAYS_INLINE PyObject *fold_key(const int kind, const void *data, Py_ssize_t n, int ascii, Scratch *sc)
{
    Py_ssize_t i = 0, k = 0;
    while (i < n && (is_space(PyUnicode_READ(kind, data, i)) || is_lead(PyUnicode_READ(kind, data, i))))
        i++;
    Py_UCS4 *out = scratch(sc, n + 1);
    if (out == NULL)
        return NULL;
    int gap = 0;
    for (; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (ascii && (Py_UCS4)(c - 'A') < 26)
            c |= 0x20;
        if (is_space(c)) {
            gap = 1;
            continue;
        }
        if (gap && k)
            out[k++] = ' ';
        gap = 0;
        out[k++] = c;
    }
    if (ascii) {
        PyObject *key = PyUnicode_New(k, 127);
        if (key != NULL) {
            Py_UCS1 *dst = PyUnicode_1BYTE_DATA(key);
            for (Py_ssize_t j = 0; j < k; j++)
                dst[j] = (Py_UCS1)out[j];
        }
        return key;
    }
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, k); /* the narrowest str */
}

/* lexicon.line_key of a line's head (its line breaks already spaces): its first match_chars
 * characters, quotes straightened, lower-cased (by str.lower), bullets and white space folded. */
static PyObject *line_key(PyObject *head, Py_ssize_t match_chars, PyObject *str_lower, Scratch *sc)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(head);
    if (n > match_chars)
        n = match_chars;
    if (PyUnicode_IS_ASCII(head)) /* nothing to straighten; ASCII lower-casing is A-Z to a-z */
        return fold_key(PyUnicode_1BYTE_KIND, PyUnicode_1BYTE_DATA(head), n, 1, sc);
    int kind = PyUnicode_KIND(head);
    const void *data = PyUnicode_DATA(head);
    Py_UCS4 *buf = scratch(sc, n + 1);
    if (buf == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        buf[i] = straighten(PyUnicode_READ(kind, data, i));
    PyObject *cut = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n);
    if (cut == NULL)
        return NULL;
    PyObject *low = PyObject_CallOneArg(str_lower, cut);
    Py_DECREF(cut);
    if (low == NULL)
        return NULL;
    PyObject *key;
    switch (PyUnicode_KIND(low)) {
    case PyUnicode_1BYTE_KIND:
        key = fold_key(PyUnicode_1BYTE_KIND, PyUnicode_DATA(low), PyUnicode_GET_LENGTH(low), 0, sc);
        break;
    case PyUnicode_2BYTE_KIND:
        key = fold_key(PyUnicode_2BYTE_KIND, PyUnicode_DATA(low), PyUnicode_GET_LENGTH(low), 0, sc);
        break;
    default:
        key = fold_key(PyUnicode_4BYTE_KIND, PyUnicode_DATA(low), PyUnicode_GET_LENGTH(low), 0, sc);
        break;
    }
    Py_DECREF(low);
    return key;
}

/* ---- the records ----------------------------------------------------------------------------- */

static PyObject *ratio(Py_ssize_t a, Py_ssize_t b)
{
    return PyFloat_FromDouble(b ? (double)a / (double)b : 0.0);
}

static PyObject *bool_of(int x) { return Py_NewRef(x ? Py_True : Py_False); }

/* A LineFeatures of a non-blank line, its slots filled through their member descriptors, as
 * the dataclass __init__ and __post_init__ (blank = chars == 0, so False) would fill them. */
static PyObject *make_record(PyTypeObject *cls, PyObject *setters, PyObject *key, const Line *ln)
{
    PyObject *vals[sizeof(FIELD_NAMES) / sizeof(FIELD_NAMES[0])];
    double scale = (double)ln->chars / (double)ln->head_chars;
    Py_ssize_t words = (Py_ssize_t)(((double)ln->words_space + (double)ln->cjk / 2.0) * scale);
    Py_ssize_t non_space = ln->head_chars - ln->spaces;
    Py_ssize_t punct = non_space - ln->tok_chars - ln->digits;
    Py_ssize_t sentences = ln->breaks + (ln->ends_sentence ? 1 : 0);
    if (punct < 0)
        punct = 0;
    if (scale > 1)
        sentences = (Py_ssize_t)((double)sentences * scale);

    vals[0] = Py_NewRef(key);
    vals[1] = PyLong_FromSsize_t(ln->chars);
    vals[2] = PyLong_FromSsize_t(words > 1 ? words : 1);
    vals[3] = PyLong_FromSsize_t((Py_ssize_t)((double)ln->n_tok * scale));
    vals[4] = ratio(ln->stops, ln->n_tok);
    vals[5] = ratio(ln->upper, ln->firsts);
    vals[6] = ratio(ln->digits, non_space);
    vals[7] = ratio(punct, non_space);
    vals[8] = bool_of(ln->ends_sentence);
    vals[9] = bool_of(ln->ends_colon);
    vals[10] = PyLong_FromSsize_t(sentences);
    vals[11] = bool_of(ln->bullet);
    vals[12] = bool_of(ln->cjk > 0 && ln->cjk >= ln->words_space);
    vals[13] = bool_of(ln->has_url);
    vals[14] = PyFloat_FromDouble(ln->known);
    vals[15] = PyLong_FromSsize_t(ln->n_known);
    vals[16] = bool_of(ln->ends_sentence && ln->ends_ellipsis);
    vals[17] = bool_of(0);

    PyObject *obj = NULL;
    Py_ssize_t k;
    for (k = 0; k < N_FIELDS; k++)
        if (vals[k] == NULL)
            goto done;
    obj = cls->tp_alloc(cls, 0);
    if (obj == NULL)
        goto done;
    for (k = 0; k < N_FIELDS; k++) {
        PyObject *setter = PyTuple_GET_ITEM(setters, k);
        if (Py_TYPE(setter)->tp_descr_set(setter, obj, vals[k]) < 0) {
            Py_CLEAR(obj);
            goto done;
        }
    }
    /* A str, ints, floats and bools: no cycle can pass through the record, so the collector
     * need not follow it (tuples of such values are untracked the same way). */
    if (PyObject_IS_GC(obj))
        PyObject_GC_UnTrack(obj);
done:
    for (k = 0; k < N_FIELDS; k++)
        Py_XDECREF(vals[k]);
    return obj;
}

/* ---- the function ---------------------------------------------------------------------------- */

PyDoc_STRVAR(features_of_lines_doc,
"features_of_lines(texts, stop, word_scores, blank, setters, line_keys, head_chars, match_chars,\n"
"                  table=None)\n"
"--\n\n"
"features.features_of_lines in C: a list of LineFeatures, ``blank`` for blank lines and new\n"
"records, filled through ``setters`` (the class's member descriptors, in FIELDS order), for\n"
"the others. A line's head is its first ``head_chars`` characters. ``line_keys`` (a function\n"
"of the list of heads) makes the keys, or, when None, this module makes them as\n"
"lexicon.line_keys does with the lexicon's constants in KEY_QUOTES and KEY_LEAD, reading\n"
"``match_chars`` characters. ``table``, a VocabTable built from ``stop`` and ``word_scores``\n"
"(these very objects, else ValueError), answers for the ASCII tokens in their place.\n"
"Returns NotImplemented, having changed nothing, when the inputs\n"
"are not of the types it handles (see the module's source), so the caller can run the Python\n"
"path instead.");

static PyObject *features_of_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 8 && nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "features_of_lines takes 8 or 9 arguments");
        return NULL;
    }
    PyObject *table = nargs == 9 && args[8] != Py_None ? args[8] : NULL;
    if (table != NULL && !Py_IS_TYPE(table, &VocabTableType)) {
        PyErr_SetString(PyExc_TypeError, "features_of_lines: table is not a VocabTable");
        return NULL;
    }
    PyObject *texts = args[0], *stop = args[1], *scores = args[2], *blank = args[3];
    PyObject *setters = args[4], *line_keys = args[5];
    Py_ssize_t head_max = PyLong_AsSsize_t(args[6]), match_chars = PyLong_AsSsize_t(args[7]);
    if ((head_max == -1 || match_chars == -1) && PyErr_Occurred())
        return NULL;
    if (line_keys == Py_None)
        line_keys = NULL;
    if (head_max < 1 || match_chars < 0 || (line_keys == NULL && match_chars > head_max) || !PyTuple_CheckExact(setters) || PyTuple_GET_SIZE(setters) != N_FIELDS) {
        PyErr_SetString(PyExc_ValueError, "features_of_lines: bad head_chars or setters");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < N_FIELDS; k++)
        if (Py_TYPE(PyTuple_GET_ITEM(setters, k))->tp_descr_set == NULL) {
            PyErr_SetString(PyExc_TypeError, "features_of_lines: a setter is not a data descriptor");
            return NULL;
        }
    PyTypeObject *cls = Py_TYPE(blank);

    /* Hand back what this module does not handle exactly as Python does. */
    if (!(PyList_CheckExact(texts) || PyTuple_CheckExact(texts)) || !PyAnySet_CheckExact(stop) ||
        !(scores == Py_None || PyDict_CheckExact(scores)))
        Py_RETURN_NOTIMPLEMENTED;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(texts);
    PyObject **items = PySequence_Fast_ITEMS(texts);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!PyUnicode_CheckExact(items[i]))
            Py_RETURN_NOTIMPLEMENTED;

    if (table != NULL) {
        const VocabTable *t = (const VocabTable *)table;
        if (t->stop != stop || t->scores != scores || PyDict_GET_SIZE(scores) != t->n_scores) {
            PyErr_SetString(PyExc_ValueError, "features_of_lines: the table was not built from these stop words and scores");
            return NULL;
        }
    }

    Lookup lk = {PySet_GET_SIZE(stop) ? stop : NULL,
                 (scores != Py_None && PyDict_GET_SIZE(scores)) ? scores : NULL, (const VocabTable *)table, NULL, 0};
    PyObject *out = NULL, *heads = NULL, *keys = NULL, *nl = NULL, *sp = NULL;
    Scratch sc = {NULL, 0};
    Line *lines = NULL;
    Py_ssize_t n_lines = 0;

    out = PyList_New(n);
    heads = PyList_New(0); /* the heads for line_keys, or the keys */
    lk.str_lower = PyObject_GetAttrString((PyObject *)&PyUnicode_Type, "lower");
    nl = PyUnicode_FromOrdinal('\n');
    sp = PyUnicode_FromOrdinal(' ');
    lines = PyMem_Calloc(n ? (size_t)n : 1, sizeof(Line));
    if (out == NULL || heads == NULL || lk.str_lower == NULL || nl == NULL || sp == NULL) {
        goto error;
    }
    if (lines == NULL) {
        PyErr_NoMemory();
        goto error;
    }

    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = items[i];
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(text) < 0)
            goto error;
#endif
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t start = 0, end = PyUnicode_GET_LENGTH(text);
        while (start < end && is_space(PyUnicode_READ(kind, data, start)))
            start++;
        while (end > start && is_space(PyUnicode_READ(kind, data, end - 1)))
            end--;
        if (start == end) {
            PyList_SET_ITEM(out, i, Py_NewRef(blank));
            continue;
        }
        Line *ln = &lines[n_lines++];
        ln->index = i;
        ln->chars = end - start;
        ln->head_chars = ln->chars < head_max ? ln->chars : head_max;
        /* head = s[:head_max], s's line breaks made spaces (a line of split_lines has none) */
        PyObject *head = PyUnicode_Substring(text, start, start + ln->head_chars);
        if (head == NULL)
            goto error;
        Py_ssize_t nl_at = PyUnicode_FindChar(head, '\n', 0, ln->head_chars, 1);
        if (nl_at == -2) {
            Py_DECREF(head);
            goto error;
        }
        if (nl_at >= 0)
            Py_SETREF(head, PyUnicode_Replace(head, nl, sp, -1));
        if (head == NULL)
            goto error;
        PyObject *key = line_keys ? Py_NewRef(head) : line_key(head, match_chars, lk.str_lower, &sc);
        int r = key ? PyList_Append(heads, key) : -1;
        Py_XDECREF(key);
        if (r < 0) {
            Py_DECREF(head);
            goto error;
        }
        scan_head(head, ln);
        r = count_tokens(head, &lk, ln);
        Py_DECREF(head);
        if (r < 0)
            goto error;
        if (lk.not_float)
            goto hand_back;
        scan_ends(text, start, end, ln);
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyList_GET_ITEM(out, i) == NULL)
            PyList_SET_ITEM(out, i, Py_NewRef(Py_None)); /* until the record is made */

    if (n_lines) {
        keys = line_keys ? PyObject_CallOneArg(line_keys, heads) : Py_NewRef(heads);
        if (keys == NULL)
            goto error;
        if (!PyList_CheckExact(keys) || PyList_GET_SIZE(keys) != n_lines) {
            PyErr_SetString(PyExc_TypeError, "line_keys did not return a list of one key per line");
            goto error;
        }
        for (Py_ssize_t k = 0; k < n_lines; k++) {
            PyObject *rec = make_record(cls, setters, PyList_GET_ITEM(keys, k), &lines[k]);
            if (rec == NULL)
                goto error;
            PyObject *old = PyList_GET_ITEM(out, lines[k].index);
            PyList_SET_ITEM(out, lines[k].index, rec);
            Py_DECREF(old);
        }
    }
    Py_XDECREF(keys);
    Py_DECREF(heads);
    Py_DECREF(lk.str_lower);
    Py_DECREF(nl);
    Py_DECREF(sp);
    PyMem_Free(lines);
    PyMem_Free(sc.buf);
    return out;

hand_back:
    Py_XDECREF(out);
    out = Py_NewRef(Py_NotImplemented);
    goto cleanup;
error:
    Py_CLEAR(out);
cleanup:
    Py_XDECREF(keys);
    Py_XDECREF(heads);
    Py_XDECREF(lk.str_lower);
    Py_XDECREF(nl);
    Py_XDECREF(sp);
    PyMem_Free(lines);
    PyMem_Free(sc.buf);
    return out;
}

/* ---- the module ------------------------------------------------------------------------------ */

static PyMethodDef methods[] = {
    {"features_of_lines", (PyCFunction)(void (*)(void))features_of_lines, METH_FASTCALL, features_of_lines_doc},
    {NULL, NULL, 0, NULL},
};

static int add(PyObject *module, const char *name, PyObject *value)
{
    int r = value ? PyModule_AddObjectRef(module, name, value) : -1;
    Py_XDECREF(value);
    return r;
}

static int exec_module(PyObject *module)
{
    PyObject *names = PyTuple_New(N_FIELDS);
    if (names == NULL)
        return -1;
    for (Py_ssize_t k = 0; k < N_FIELDS; k++) {
        PyObject *name = PyUnicode_FromString(FIELD_NAMES[k]);
        if (name == NULL) {
            Py_DECREF(names);
            return -1;
        }
        PyTuple_SET_ITEM(names, k, name);
    }
    if (add(module, "FIELDS", names) < 0)
        return -1;
    if (PyType_Ready(&VocabTableType) < 0 || PyModule_AddObjectRef(module, "VocabTable", (PyObject *)&VocabTableType) < 0)
        return -1;
    /* The lexicon constants the keys follow (features.py has lexicon.line_keys make the keys
     * when they are no longer lexicon's). */
    if (add(module, "KEY_QUOTES",
            Py_BuildValue("((ss)(ss)(ss)(ss)(ss))", "\xe2\x80\x98", "'", "\xe2\x80\x99", "'", "\xe2\x80\x9c", "\"",
                          "\xe2\x80\x9d", "\"", "\xc2\xa0", " ")) < 0)
        return -1;
    if (add(module, "KEY_LEAD",
            PyUnicode_FromString("^[\\s\\-\\u2013\\u2014\\u2022\\u00b7\\u25aa\\u25b8\\u25ba\\u2023*>\xc2\xbb\xe2\x80\xba|#+]+")) < 0)
        return -1;
    if (add(module, "KEY_LEAD_FIRST",
            PyUnicode_FromString("-\xe2\x80\x93\xe2\x80\x94\xe2\x80\xa2\xc2\xb7\xe2\x96\xaa\xe2\x96\xb8\xe2\x96\xba"
                                 "\xe2\x80\xa3*>\xc2\xbb\xe2\x80\xba|#+")) < 0)
        return -1;
    return 0;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, (void *)exec_module},
    {0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    "boilerstrip._cfeatures",
    "The features stage in C; see boilerstrip.features, which falls back to Python without it.",
    0,
    methods,
    slots,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC PyInit__cfeatures(void) { return PyModuleDef_Init(&moduledef); }
