/* boilerstrip._ccontext: the second half of the context pass in C.
 *
 * - article_span: context.article_span, the first and last anchor line of the article.
 * - settle_span: context.python_settle_span in one call: the article span, grown over nearby
 *   sentences (grow_span), the region rules when it holds the page (holds_the_page,
 *   mark_regions), the comment thread (mark_comment_thread with _signature_run,
 *   _per_post_headers and _in_tab_bar), the lone bulleted headlines (mark_inline_links) and the
 *   naming of what is left (mark_content). The patterns of a commenter's signature
 *   (context._stamp_key) and of a prompt's shape (context._prompt_shape) stay Python: they are
 *   passed in and called for the few lines that need them (a stamp is a short line with a ":" in
 *   its key, a shape is asked of comment-counter headers only).
 *
 * Records are read and written through their classes' slot (member) descriptors, checked once
 * per call. Every line's features and verdict are read first and the rules then run on a copy of
 * the state they read (kind, noise, locked), each change to a verdict kept as an action; only
 * when all have been decided are the actions applied to the records, in order, as Verdict.set
 * (or a reason's append) would make them. So a call hands back (returns NotImplemented), leaving
 * every record as it was, when an input is not of the plain types it knows: a str subclass, a
 * list holding another class than the exact record class, a bool field that is not an exact
 * bool, ``words`` that is not an exact int of at most 2**53 in size, another number that is not
 * a bool, such an int or an exact float, a scores dict that is not an exact dict of exact str to
 * exact float, reasons that are not an exact list (of exact strs, where they are read).
 * Python then runs the pure path on the unchanged records.
 *
 * The rules' thresholds and fixed texts are those of context.py; CONSTANTS holds those it
 * defines by name (context.py checks them) and tests/test_ccontext.py the rest.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#if PY_VERSION_HEX < 0x030C0000
#include <structmember.h>
#define Py_T_OBJECT_EX T_OBJECT_EX
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE static inline
#endif

/* ---- the rules' constants (context.py) -------------------------------------------------------- */

#define CJK_PROSE_CHARS 20
#define ANCHOR_WORDS 25
#define MAX_GAP 3
#define SPAN_MIN_WORDS 60
#define SPAN_MIN_SHARE 0.1
#define TAB_MAX_WORDS 2
#define SIGNATURE_MIN_RUN 4
#define SIGNATURE_MAX_GAP 12
#define STAMP_MAX_WORDS 12
#define STAMP_MAX_CHARS 100
#define PER_POST_MIN 3
#define PROMPT_REASON "comment counter or prompt"
#define SUBTITLE_REASON "headline-like line right above the article: its subtitle or first heading"
#define MAX_EXACT (1LL << 53)

/* ---- slots (as in _cstages.c) ------------------------------------------------------------------ */

/* The offsets in instances of cls of the object slots that the member descriptors in the tuple
 * descrs stand for (descriptors of cls or of a base class), or -1 with an exception set. */
static int member_offsets(PyObject *cls_obj, PyObject *descrs, Py_ssize_t n, Py_ssize_t *offsets, const char *who)
{
    if (!PyType_Check(cls_obj) || ((PyTypeObject *)cls_obj)->tp_itemsize != 0) {
        PyErr_Format(PyExc_TypeError, "%s: expected a class of fixed-size instances", who);
        return -1;
    }
    PyTypeObject *cls = (PyTypeObject *)cls_obj;
    if (!PyTuple_CheckExact(descrs) || PyTuple_GET_SIZE(descrs) != n) {
        PyErr_Format(PyExc_TypeError, "%s: expected a tuple of %zd slot descriptors", who, n);
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *d = PyTuple_GET_ITEM(descrs, k);
        if (!Py_IS_TYPE(d, &PyMemberDescr_Type)) {
            PyErr_Format(PyExc_TypeError, "%s: item %zd of the descriptors is not a slot descriptor", who, k);
            return -1;
        }
        PyMemberDef *m = ((PyMemberDescrObject *)d)->d_member;
        if (m->type != Py_T_OBJECT_EX || !PyType_IsSubtype(cls, PyDescr_TYPE(d)) ||
            m->offset < (Py_ssize_t)sizeof(PyObject) ||
            m->offset > cls->tp_basicsize - (Py_ssize_t)sizeof(PyObject *)) {
            PyErr_Format(PyExc_TypeError, "%s: descriptor %zd is not an object slot of the class", who, k);
            return -1;
        }
        offsets[k] = m->offset;
    }
    return 0;
}

ALWAYS_INLINE PyObject **slot(PyObject *obj, Py_ssize_t offset) { return (PyObject **)((char *)obj + offset); }

/* A number as Python compares it, for the types C compares alike: bools, exact ints of at most
 * 2**53 in size (exact as doubles), exact floats. 0 for another type or NULL (an unset slot). */
ALWAYS_INLINE int number(PyObject *v, double *x)
{
    if (v == NULL)
        return 0;
    if (PyFloat_CheckExact(v)) {
        *x = PyFloat_AS_DOUBLE(v);
        return 1;
    }
    if (v == Py_True || v == Py_False) {
        *x = v == Py_True ? 1.0 : 0.0;
        return 1;
    }
    if (PyLong_CheckExact(v)) {
        int overflow;
        long long i = PyLong_AsLongLongAndOverflow(v, &overflow);
        if (overflow || i > MAX_EXACT || i < -MAX_EXACT)
            return 0;
        *x = (double)i;
        return 1;
    }
    return 0;
}

/* An exact bool's value, or -1 for anything else. */
ALWAYS_INLINE int flag(PyObject *v) { return v == Py_True ? 1 : v == Py_False ? 0 : -1; }

/* Whether the exact str s equals the ASCII text t. */
static int equals(PyObject *s, const char *t)
{
    Py_ssize_t n = (Py_ssize_t)strlen(t);
    if (PyUnicode_GET_LENGTH(s) != n)
        return 0;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t k = 0; k < n; k++)
        if (PyUnicode_READ(kind, data, k) != (Py_UCS4)(unsigned char)t[k])
            return 0;
    return 1;
}

/* ---- the records ------------------------------------------------------------------------------- */

/* The LineFeatures slots read, in this order (FEATURE_FIELDS; context.py passes their descriptors). */
enum { F_KEY, F_CHARS, F_WORDS, F_STOP_RATIO, F_CAP_RATIO, F_ENDS_SENTENCE, F_SENTENCES, F_BULLET, F_CJK, F_BLANK, N_F };
static const char *const feature_names[N_F] = {"key",           "chars",     "words", "stop_ratio", "cap_ratio",
                                               "ends_sentence", "sentences", "bullet", "cjk",       "blank"};
/* All of Verdict's fields, in order (VERDICT_FIELDS). */
enum { V_KIND, V_SCORE, V_REASONS, V_SCORES, V_HEADER, V_LOCKED, V_NOISE, N_V };
static const char *const verdict_names[N_V] = {"kind", "score", "reasons", "scores", "header", "locked", "noise"};

/* The kinds the rules ask about. */
enum { K_OTHER, K_TITLE, K_COMMENTS, K_SOCIAL };

static char kind_code(PyObject *kind)
{
    return equals(kind, "title") ? K_TITLE : equals(kind, "comments") ? K_COMMENTS
                                         : equals(kind, "social")     ? K_SOCIAL
                                                                      : K_OTHER;
}

/* One line as the rules see it: its features, and its verdict's state as the rules change it. */
typedef struct {
    double chars, words, stop, cap, sentences;
    long long iwords; /* words, an exact int */
    char ends, bullet, cjk, blank;
    char kind, noise, locked, header;
} Row;

#define PROSE_REASONS 256

/* A change to a verdict: Verdict.set(kind, score, reason, lock=lock), or with kind NULL the
 * reason appended. The references are owned. */
typedef struct {
    Py_ssize_t line;
    PyObject *kind, *score, *reason;
    char lock, noise;
} Action;

/* What a call holds. */
typedef struct {
    PyObject *feats, *verdicts; /* tuples of the records, owned */
    Py_ssize_t n;
    Py_ssize_t f_off[N_F], v_off[N_V];
    Row *rows;
    Action *actions;
    Py_ssize_t n_actions, cap_actions;
    long long total_words;
    PyObject *prose_reasons[PROSE_REASONS]; /* mark_content's reasons by word count, made once */
    PyObject *region_reasons[4];            /* mark_regions' by what and where */
} Doc;

static void doc_clear(Doc *d)
{
    for (Py_ssize_t k = 0; k < d->n_actions; k++) {
        Py_XDECREF(d->actions[k].kind);
        Py_XDECREF(d->actions[k].score);
        Py_XDECREF(d->actions[k].reason);
    }
    for (int k = 0; k < PROSE_REASONS; k++)
        Py_XDECREF(d->prose_reasons[k]);
    for (int k = 0; k < 4; k++)
        Py_XDECREF(d->region_reasons[k]);
    PyMem_Free(d->actions);
    PyMem_Free(d->rows);
    Py_XDECREF(d->feats);
    Py_XDECREF(d->verdicts);
}

/* A tuple of the items of an exact list or tuple (a new reference), NULL without an exception
 * for another type, NULL with one on error. */
static PyObject *snapshot(PyObject *seq)
{
    if (PyList_CheckExact(seq))
        return PyList_AsTuple(seq);
    if (PyTuple_CheckExact(seq))
        return Py_NewRef(seq);
    return NULL;
}

/* Reads every line: 1 when read, 0 to hand back, -1 with an exception set. The records' classes
 * and descriptors are args[2] to args[5]. */
static int doc_load(Doc *d, PyObject *const *args)
{
    if (member_offsets(args[2], args[3], N_F, d->f_off, "_ccontext") < 0 ||
        member_offsets(args[4], args[5], N_V, d->v_off, "_ccontext") < 0)
        return -1;
    PyTypeObject *f_cls = (PyTypeObject *)args[2], *v_cls = (PyTypeObject *)args[4];
    d->feats = snapshot(args[0]);
    if (d->feats == NULL)
        return PyErr_Occurred() ? -1 : 0;
    d->verdicts = snapshot(args[1]);
    if (d->verdicts == NULL)
        return PyErr_Occurred() ? -1 : 0;
    d->n = PyTuple_GET_SIZE(d->feats);
    if (PyTuple_GET_SIZE(d->verdicts) != d->n)
        return 0;
    d->rows = PyMem_Calloc(d->n ? (size_t)d->n : 1, sizeof(Row));
    if (d->rows == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    long long total = 0;
    for (Py_ssize_t i = 0; i < d->n; i++) {
        PyObject *f = PyTuple_GET_ITEM(d->feats, i), *v = PyTuple_GET_ITEM(d->verdicts, i);
        Row *r = &d->rows[i];
        if (Py_TYPE(f) != f_cls || Py_TYPE(v) != v_cls)
            return 0;
        const Py_ssize_t *fo = d->f_off, *vo = d->v_off;
        PyObject *key = *slot(f, fo[F_KEY]), *words = *slot(f, fo[F_WORDS]);
        if (key == NULL || !PyUnicode_CheckExact(key) || words == NULL || !PyLong_CheckExact(words))
            return 0;
        int overflow;
        r->iwords = PyLong_AsLongLongAndOverflow(words, &overflow);
        if (overflow || r->iwords > MAX_EXACT || r->iwords < 0)
            return 0; /* so that no sum of words is over 2**53 when theirs is not */
        r->words = (double)r->iwords;
        total += r->iwords; /* total <= 2**53 before, so no overflow */
        if (total > MAX_EXACT)
            return 0; /* holds_the_page compares it, as a double, exactly */
        int ends = flag(*slot(f, fo[F_ENDS_SENTENCE])), bullet = flag(*slot(f, fo[F_BULLET]));
        int cjk = flag(*slot(f, fo[F_CJK])), blank = flag(*slot(f, fo[F_BLANK]));
        if (ends < 0 || bullet < 0 || cjk < 0 || blank < 0 || !number(*slot(f, fo[F_CHARS]), &r->chars) ||
            !number(*slot(f, fo[F_STOP_RATIO]), &r->stop) || !number(*slot(f, fo[F_CAP_RATIO]), &r->cap) ||
            !number(*slot(f, fo[F_SENTENCES]), &r->sentences))
            return 0;
        r->ends = (char)ends, r->bullet = (char)bullet, r->cjk = (char)cjk, r->blank = (char)blank;

        PyObject *kind = *slot(v, vo[V_KIND]), *reasons = *slot(v, vo[V_REASONS]), *scores = *slot(v, vo[V_SCORES]);
        int header = flag(*slot(v, vo[V_HEADER])), locked = flag(*slot(v, vo[V_LOCKED]));
        int noise = flag(*slot(v, vo[V_NOISE]));
        if (kind == NULL || !PyUnicode_CheckExact(kind) || reasons == NULL || !PyList_CheckExact(reasons) ||
            scores == NULL || !PyDict_CheckExact(scores) || header < 0 || locked < 0 || noise < 0)
            return 0;
        r->kind = kind_code(kind), r->header = (char)header, r->locked = (char)locked, r->noise = (char)noise;
    }
    d->total_words = total;
    return 1;
}

/* A line's key, read again (Python code ran since the load): an exact str, or NULL to hand back. */
static PyObject *key_of(const Doc *d, Py_ssize_t i)
{
    PyObject *key = *slot(PyTuple_GET_ITEM(d->feats, i), d->f_off[F_KEY]);
    return key != NULL && PyUnicode_CheckExact(key) ? key : NULL;
}

/* ---- the line tests ---------------------------------------------------------------------------- */

/* LineFeatures.sentence_like */
ALWAYS_INLINE int sentence_like(const Row *f)
{
    return f->words >= 10 && f->ends && (f->stop >= 0.2 || f->cjk) && f->cap < 0.65;
}

/* LineFeatures.headline_like */
ALWAYS_INLINE int headline_like(const Row *f)
{
    return 2 <= f->words && f->words <= 24 && !f->ends && f->chars <= 200 && f->sentences <= 1;
}

/* context.prose_like */
ALWAYS_INLINE int prose_like(const Row *f)
{
    if (f->cjk)
        return f->chars >= CJK_PROSE_CHARS;
    if (f->words < 10)
        return 0;
    return sentence_like(f) || (f->words >= 20 && f->stop >= 0.15 && f->cap < 0.6);
}

/* context._short_sentence */
ALWAYS_INLINE int short_sentence(const Row *f)
{
    return f->ends && f->words >= 6 && f->stop >= 0.1 && f->cap < 0.65;
}

/* context._next_nonblank: the next non-blank line from i in direction step, or -1. */
static Py_ssize_t next_nonblank(const Doc *d, Py_ssize_t i, Py_ssize_t step)
{
    for (Py_ssize_t j = i + step; 0 <= j && j < d->n; j += step)
        if (!d->rows[j].blank)
            return j;
    return -1;
}

/* ---- the rules --------------------------------------------------------------------------------- */

/* context.article_span: 1 with *first and *last set, or 0 when nothing reads like an article. */
static int article_span_of(const Doc *d, Py_ssize_t *first, Py_ssize_t *last)
{
    static const int min_words[2] = {ANCHOR_WORDS, 10};
    for (int m = 0; m < 2; m++) {
        Py_ssize_t a = -1, b = -1, ended = -1;
        for (Py_ssize_t i = 0; i < d->n; i++) {
            const Row *f = &d->rows[i];
            if (!(f->words >= min_words[m] || (f->cjk && f->chars >= 2 * min_words[m])))
                continue;
            if (f->noise || !prose_like(f))
                continue;
            if (a < 0)
                a = i;
            b = i;
            if (f->ends || f->cjk)
                ended = i;
        }
        if (a >= 0) { /* the anchors up to the last that ends like a sentence, if one does */
            *first = a, *last = ended >= 0 ? ended : b;
            return 1;
        }
    }
    return 0;
}

/* context._grow */
static Py_ssize_t grow(const Doc *d, Py_ssize_t edge, Py_ssize_t step)
{
    Py_ssize_t gap = 0;
    for (Py_ssize_t j = edge + step; 0 <= j && j < d->n; j += step) {
        const Row *f = &d->rows[j];
        if (f->blank)
            continue;
        if (f->noise || f->kind == K_TITLE)
            break;
        if (prose_like(f) || short_sentence(f)) {
            edge = j, gap = 0;
        } else if (++gap > MAX_GAP) {
            break;
        }
    }
    return edge;
}

/* context.holds_the_page */
static int holds_the_page(const Doc *d, Py_ssize_t first, Py_ssize_t last)
{
    long long inside = 0;
    for (Py_ssize_t i = first; i <= last; i++) {
        const Row *f = &d->rows[i];
        if ((f->words >= 10 || f->cjk) && prose_like(f))
            inside += f->iwords; /* a part of the lines whose sum is at most 2**53 in size */
    }
    if (inside >= SPAN_MIN_WORDS)
        return 1;
    return (double)inside >= SPAN_MIN_SHARE * (double)d->total_words;
}

/* The module's constant objects. */
typedef struct {
    PyObject *nav, *comments, *related, *heading, *body;
    PyObject *f06, *f075, *f07, *f08, *f05;
    PyObject *subtitle, *inline_link, *between, *inside, *no_rule;
} State;

/* Keeps the action (stealing the references to kind, score and reason, which may be NULL after
 * a failed call: -1 then) and applies it to the rows' state. 0, or -1 with an exception set. */
static int act(Doc *d, Py_ssize_t line, PyObject *kind, PyObject *score, PyObject *reason, int lock,
               PyObject *not_noise)
{
    int content = 0;
    if (reason == NULL || (kind != NULL && (score == NULL || (content = PySet_Contains(not_noise, kind)) < 0)))
        goto fail;
    if (d->n_actions == d->cap_actions) {
        Py_ssize_t cap = 2 * d->cap_actions + 64;
        Action *more = PyMem_Realloc(d->actions, (size_t)cap * sizeof(Action));
        if (more == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        d->actions = more, d->cap_actions = cap;
    }
    Action *a = &d->actions[d->n_actions++];
    a->line = line, a->kind = kind, a->score = score, a->reason = reason, a->lock = (char)lock;
    a->noise = (char)!content;
    if (kind != NULL) {
        Row *r = &d->rows[line];
        r->kind = kind_code(kind), r->noise = a->noise, r->locked = r->locked || lock;
    }
    return 0;
fail:
    Py_XDECREF(kind);
    Py_XDECREF(score);
    Py_XDECREF(reason);
    return -1;
}

/* context.best_noise of line i's verdict and max(0.6, its value), as new references: 1, 0 to
 * hand back (scores not of exact str to exact float), -1 with an exception set. */
static int best_noise(const Doc *d, State *st, Py_ssize_t i, PyObject **kind, PyObject **value)
{
    PyObject *scores = *slot(PyTuple_GET_ITEM(d->verdicts, i), d->v_off[V_SCORES]);
    if (scores == NULL || !PyDict_CheckExact(scores))
        return 0;
    PyObject *best = NULL, *best_value = NULL, *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(scores, &pos, &k, &v)) {
        if (!PyUnicode_CheckExact(k) || !PyFloat_CheckExact(v))
            return 0;
        if (best == NULL || PyFloat_AS_DOUBLE(v) > PyFloat_AS_DOUBLE(best_value))
            best = k, best_value = v; /* max keeps the first of equal ones */
    }
    if (best == NULL) {
        *kind = Py_NewRef(st->nav), *value = Py_NewRef(st->f06);
        return 1;
    }
    *kind = Py_NewRef(best);
    *value = Py_NewRef(PyFloat_AS_DOUBLE(best_value) > 0.6 ? best_value : st->f06); /* max(0.6, value) */
    return 1;
}

/* context.mark_regions: 1, 0 to hand back, -1 with an exception set. */
static int mark_regions(Doc *d, State *st, Py_ssize_t first, Py_ssize_t last, PyObject *not_noise)
{
    Py_ssize_t subtitle = next_nonblank(d, first, -1);
    for (Py_ssize_t i = 0; i < d->n; i++) {
        if (i == first) { /* the lines outside the span */
            i = last;
            continue;
        }
        const Row *f = &d->rows[i];
        if (f->blank || f->noise || f->kind == K_TITLE || f->locked)
            continue;
        if (i == subtitle && headline_like(f)) {
            if (act(d, i, NULL, NULL, Py_NewRef(st->subtitle), 0, not_noise) < 0)
                return -1;
            continue;
        }
        int above = i < first;
        int keep = above ? sentence_like(f) || short_sentence(f) : (f->ends || f->cjk) && prose_like(f);
        if (keep)
            continue;
        PyObject *kind, *value;
        int got = best_noise(d, st, i, &kind, &value);
        if (got <= 0)
            return got;
        int prose = prose_like(f);
        PyObject **reason = &d->region_reasons[2 * prose + above];
        if (*reason == NULL)
            *reason = PyUnicode_FromFormat("%s %s (article runs from line %zd to %zd)",
                                           prose ? "line without a sentence end" : "short line",
                                           above ? "above the article" : "below the article", first, last);
        if (act(d, i, kind, value, Py_XNewRef(*reason), 0, not_noise) < 0)
            return -1;
    }
    return 1;
}

/* context._signature_run, with context._stamp's test of a line's length, stamp_key (its
 * patterns) called for the short lines with a ":" in their key: the first line of the run, -1 for
 * none, -2 to hand back, -3 with an exception set. */
static Py_ssize_t signature_run(const Doc *d, Py_ssize_t first, PyObject *stamp_key)
{
    Py_ssize_t from = first + 1, n = d->n;
    if (from >= n)
        return -1;
    char *stamps = PyMem_Calloc((size_t)(n - from), 1);
    if (stamps == NULL) {
        PyErr_NoMemory();
        return -3;
    }
    Py_ssize_t count = 0, result = -1;
    for (Py_ssize_t i = from; i < n; i++) {
        PyObject *key = key_of(d, i);
        if (key == NULL) {
            result = -2;
            goto done;
        }
        if (PyUnicode_FindChar(key, ':', 0, PyUnicode_GET_LENGTH(key), 1) < 0)
            continue;
        const Row *f = &d->rows[i]; /* context._stamp's own test, then its patterns */
        if (f->blank || f->words > STAMP_MAX_WORDS || PyUnicode_GET_LENGTH(key) > STAMP_MAX_CHARS)
            continue;
        Py_INCREF(key);
        PyObject *got = PyObject_CallOneArg(stamp_key, key);
        Py_DECREF(key);
        int yes = got != NULL ? PyObject_IsTrue(got) : -1;
        Py_XDECREF(got);
        if (yes < 0) {
            result = -3;
            goto done;
        }
        stamps[i - from] = (char)yes;
        count += yes;
    }
    if (count < SIGNATURE_MIN_RUN)
        goto done;
    Py_ssize_t run_first = -1, run_last = -1, run_len = 0;
    int prose = 0;
    for (Py_ssize_t i = from; i < n; i++) {
        const Row *f = &d->rows[i];
        if (stamps[i - from]) {
            if (run_len && (!prose || i - run_last > SIGNATURE_MAX_GAP)) {
                if (run_len >= SIGNATURE_MIN_RUN) {
                    result = run_first;
                    goto done;
                }
                run_len = 0;
            }
            if (run_len++ == 0)
                run_first = i;
            run_last = i;
            prose = 0;
        } else if (!f->blank && !f->noise && (prose_like(f) || f->ends)) {
            prose = 1;
        }
    }
    result = run_len >= SIGNATURE_MIN_RUN ? run_first : -1;
done:
    PyMem_Free(stamps);
    return result;
}

/* context._per_post_headers, prompt_shape called for each comment-counter header: a new set
 * (NULL without an exception when none recurs, or to hand back with *hand_back set), NULL with an
 * exception set on error. */
static PyObject *per_post_headers(const Doc *d, PyObject *prompt_shape, int *hand_back)
{
    PyObject *shapes = NULL, *keys = NULL, *counts = NULL, *result = NULL;
    PyObject *prefix = PyUnicode_FromString(PROMPT_REASON);
    if (prefix == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < d->n; i++) {
        const Row *r = &d->rows[i];
        if (r->kind != K_COMMENTS || !r->header)
            continue;
        /* The reasons the rules before gave (a change here adds none starting so). */
        PyObject *reasons = *slot(PyTuple_GET_ITEM(d->verdicts, i), d->v_off[V_REASONS]);
        if (reasons == NULL || !PyList_CheckExact(reasons))
            goto hand;
        int prompt = 0;
        for (Py_ssize_t k = 0; !prompt && k < PyList_GET_SIZE(reasons); k++) {
            PyObject *reason = PyList_GET_ITEM(reasons, k);
            if (!PyUnicode_CheckExact(reason))
                goto hand;
            Py_ssize_t m = PyUnicode_Tailmatch(reason, prefix, 0, PY_SSIZE_T_MAX, -1);
            if (m < 0)
                goto fail;
            prompt = m > 0;
        }
        if (!prompt)
            continue;
        PyObject *key = key_of(d, i);
        if (key == NULL)
            goto hand;
        Py_INCREF(key);
        PyObject *shape = PyObject_CallOneArg(prompt_shape, key);
        if (shape != NULL && !PyUnicode_CheckExact(shape)) {
            Py_DECREF(shape);
            Py_DECREF(key);
            goto hand;
        }
        if (shape == NULL || (shapes == NULL && (shapes = PyList_New(0)) == NULL) ||
            (keys == NULL && (keys = PyList_New(0)) == NULL) || PyList_Append(shapes, shape) < 0 ||
            PyList_Append(keys, key) < 0) {
            Py_XDECREF(shape);
            Py_DECREF(key);
            goto fail;
        }
        Py_DECREF(shape);
        Py_DECREF(key);
    }
    if (shapes == NULL)
        goto done;
    counts = PyDict_New();
    if (counts == NULL)
        goto fail;
    Py_ssize_t m = PyList_GET_SIZE(shapes);
    for (Py_ssize_t k = 0; k < m; k++) {
        PyObject *shape = PyList_GET_ITEM(shapes, k), *seen = PyDict_GetItemWithError(counts, shape);
        if (seen == NULL && PyErr_Occurred())
            goto fail;
        PyObject *count = PyLong_FromSsize_t(seen ? PyLong_AsSsize_t(seen) + 1 : 1);
        if (count == NULL || PyDict_SetItem(counts, shape, count) < 0) {
            Py_XDECREF(count);
            goto fail;
        }
        Py_DECREF(count);
    }
    for (Py_ssize_t k = 0; k < m; k++) {
        PyObject *count = PyDict_GetItemWithError(counts, PyList_GET_ITEM(shapes, k));
        if (count == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_RuntimeError, "_ccontext: a prompt's shape went missing");
            goto fail;
        }
        if (PyLong_AsSsize_t(count) < PER_POST_MIN)
            continue;
        if ((result == NULL && (result = PySet_New(NULL)) == NULL) || PySet_Add(result, PyList_GET_ITEM(keys, k)) < 0)
            goto fail;
    }
    goto done;
hand:
    *hand_back = 1;
fail:
    Py_CLEAR(result);
done:
    Py_DECREF(prefix);
    Py_XDECREF(shapes);
    Py_XDECREF(keys);
    Py_XDECREF(counts);
    return result;
}

/* Whether a key has a letter, a digit, or one of ":?*!" (str.isalpha, str.isdigit per character). */
static void key_chars(PyObject *key, int *alpha, int *digit, int *mark)
{
    int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    *alpha = *digit = *mark = 0;
    for (Py_ssize_t k = 0, n = PyUnicode_GET_LENGTH(key); k < n; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        *alpha |= Py_UNICODE_ISALPHA(c) != 0;
        *digit |= Py_UNICODE_ISDIGIT(c) != 0;
        *mark |= c == ':' || c == '?' || c == '*' || c == '!';
    }
}

/* context._in_tab_bar: 1 or 0, or -2 to hand back. */
static int in_tab_bar(const Doc *d, Py_ssize_t i)
{
    PyObject *key = key_of(d, i);
    if (key == NULL)
        return -2;
    Py_ssize_t below = next_nonblank(d, i, 1);
    int bare = (equals(key, "comments") || equals(key, "comment")) && below >= 0 && !prose_like(&d->rows[below]);
    Py_ssize_t above = next_nonblank(d, i, -1);
    for (int k = 0; k < (bare ? 1 : 2); k++) {
        if (above < 0)
            return 0;
        const Row *f = &d->rows[above];
        PyObject *above_key = key_of(d, above);
        if (above_key == NULL)
            return -2;
        int alpha, digit, mark;
        key_chars(above_key, &alpha, &digit, &mark);
        if (f->words > TAB_MAX_WORDS || !alpha || digit || mark || f->kind == K_SOCIAL || f->kind == K_COMMENTS)
            return 0;
        above = next_nonblank(d, above, -1);
    }
    return 1;
}

/* context.mark_comment_thread: 1 with *thread set (-1: none), 0 to hand back, -1 with an
 * exception set. */
static int mark_comment_thread(Doc *d, State *st, Py_ssize_t first, PyObject *not_noise, PyObject *stamp_key,
                               PyObject *prompt_shape, Py_ssize_t *thread)
{
    *thread = -1;
    Py_ssize_t stamps = signature_run(d, first, stamp_key);
    if (stamps == -2)
        return 0;
    if (stamps == -3)
        return -1;
    int hand_back = 0;
    PyObject *per_post = per_post_headers(d, prompt_shape, &hand_back);
    if (per_post == NULL && (hand_back || PyErr_Occurred()))
        return hand_back ? 0 : -1;
    int prose_before = 0, result = 1;
    for (Py_ssize_t i = 0; i < d->n; i++) {
        const Row *f = &d->rows[i];
        if (i > first && prose_before >= 2) {
            int header = 0;
            if (f->kind == K_COMMENTS && f->header) {
                PyObject *key = key_of(d, i);
                int listed = key == NULL ? -2 : per_post != NULL ? PySet_Contains(per_post, key) : 0;
                int tab = listed == 0 ? in_tab_bar(d, i) : 0;
                if (listed == -2 || tab == -2) {
                    result = 0;
                    goto done;
                }
                if (listed < 0) {
                    result = -1;
                    goto done;
                }
                header = !listed && !tab;
            }
            if (i == stamps || header) {
                const char *what = header ? "header" : "first of a run of commenter name-and-time lines";
                if (!f->noise &&
                    act(d, i, Py_NewRef(st->comments), Py_NewRef(st->f075),
                        PyUnicode_FromFormat("opens the comment thread: the %s", what), 1, not_noise) < 0) {
                    result = -1;
                    goto done;
                }
                PyObject *under = PyUnicode_FromFormat("in the comment thread under the %s at line %zd", what, i);
                if (under == NULL) {
                    result = -1;
                    goto done;
                }
                for (Py_ssize_t j = i + 1; j < d->n; j++) {
                    const Row *w = &d->rows[j];
                    if (!w->blank && !w->noise &&
                        act(d, j, Py_NewRef(st->comments), Py_NewRef(st->f075), Py_NewRef(under), 1, not_noise) <
                            0) {
                        Py_DECREF(under);
                        result = -1;
                        goto done;
                    }
                }
                Py_DECREF(under);
                *thread = i;
                goto done;
            }
        }
        if (prose_before < 2 && !f->noise && prose_like(f))
            prose_before++;
    }
done:
    Py_XDECREF(per_post);
    return result;
}

/* context.mark_inline_links: 0, or -1 with an exception set. */
static int mark_inline_links(Doc *d, State *st, Py_ssize_t first, Py_ssize_t last, PyObject *not_noise)
{
    for (Py_ssize_t i = first + 1; i < last; i++) {
        const Row *f = &d->rows[i];
        if (f->noise || !f->bullet || !headline_like(f))
            continue;
        Py_ssize_t prev = next_nonblank(d, i, -1), nxt = next_nonblank(d, i, 1);
        if (prev < 0 || nxt < 0 || d->rows[prev].bullet || d->rows[nxt].bullet)
            continue;
        if (prose_like(&d->rows[prev]) && prose_like(&d->rows[nxt]) &&
            act(d, i, Py_NewRef(st->related), Py_NewRef(st->f07), Py_NewRef(st->inline_link), 1, not_noise) < 0)
            return -1;
    }
    return 0;
}

/* mark_content's reason for a prose line of the words (a new reference), or NULL with an
 * exception set. */
static PyObject *prose_reason(Doc *d, long long words)
{
    if (words >= PROSE_REASONS)
        return PyUnicode_FromFormat("reads like prose (%lld words)", words);
    PyObject **made = &d->prose_reasons[words]; /* words >= 0 */
    if (*made == NULL)
        *made = PyUnicode_FromFormat("reads like prose (%lld words)", words);
    return Py_XNewRef(*made);
}

/* context.mark_content (has_span: whether there is a span): 0, or -1 with an exception set. */
static int mark_content(Doc *d, State *st, int has_span, Py_ssize_t first, Py_ssize_t last, PyObject *not_noise)
{
    if (!has_span)
        first = 0, last = d->n - 1;
    for (Py_ssize_t i = 0; i < d->n; i++) {
        const Row *f = &d->rows[i];
        if (f->blank || f->noise || f->kind == K_TITLE || f->locked)
            continue;
        int prose = prose_like(f), r;
        if (has_span && first < i && i < last && !prose && f->words <= 20 && !f->ends && !f->bullet)
            r = act(d, i, Py_NewRef(st->heading), Py_NewRef(st->f07), Py_NewRef(st->between), 0, not_noise);
        else if (prose)
            r = act(d, i, Py_NewRef(st->body), Py_NewRef(st->f08), prose_reason(d, f->iwords), 0, not_noise);
        else if (has_span && first <= i && i <= last)
            r = act(d, i, Py_NewRef(st->body), Py_NewRef(st->f06), Py_NewRef(st->inside), 0, not_noise);
        else
            r = act(d, i, Py_NewRef(st->body), Py_NewRef(st->f05), Py_NewRef(st->no_rule), 0, not_noise);
        if (r < 0)
            return -1;
    }
    return 0;
}

/* Replaces the object in a slot, releasing the old one. */
static void put(PyObject *obj, Py_ssize_t offset, PyObject *value)
{
    PyObject *old = *slot(obj, offset);
    *slot(obj, offset) = value;
    Py_XDECREF(old);
}

/* Applies the kept actions to the verdicts, in order: 0, or -1 with an exception set. */
static int apply(Doc *d)
{
    const Py_ssize_t *vo = d->v_off;
    for (Py_ssize_t k = 0; k < d->n_actions; k++) { /* no Python code runs below until this holds */
        PyObject *reasons = *slot(PyTuple_GET_ITEM(d->verdicts, d->actions[k].line), vo[V_REASONS]);
        if (reasons == NULL || !PyList_CheckExact(reasons))
            return 0;
    }
    for (Py_ssize_t k = 0; k < d->n_actions; k++) {
        Action *a = &d->actions[k];
        PyObject *v = PyTuple_GET_ITEM(d->verdicts, a->line);
        PyObject *reasons = *slot(v, vo[V_REASONS]);
        if (reasons == NULL || !PyList_CheckExact(reasons)) { /* changed by a release below */
            PyErr_SetString(PyExc_RuntimeError, "_ccontext: a verdict's reasons changed while it ran");
            return -1;
        }
        if (a->kind == NULL) {
            if (PyList_Append(reasons, a->reason) < 0)
                return -1;
            continue;
        }
        Py_INCREF(reasons); /* Verdict.set: kind, score, noise, the reason first, then locked */
        put(v, vo[V_KIND], a->kind), a->kind = NULL;
        put(v, vo[V_SCORE], a->score), a->score = NULL;
        put(v, vo[V_NOISE], Py_NewRef(a->noise ? Py_True : Py_False));
        int r = PyList_Insert(reasons, 0, a->reason);
        Py_DECREF(reasons);
        if (r < 0)
            return -1;
        if (a->lock)
            put(v, vo[V_LOCKED], Py_NewRef(Py_True));
    }
    return 1;
}

/* ---- the functions ----------------------------------------------------------------------------- */

static State *state_of(PyObject *module) { return (State *)PyModule_GetState(module); }

PyDoc_STRVAR(article_span_doc,
"article_span(feats, verdicts, feat_cls, feat_descrs, verdict_cls, verdict_descrs)\n"
"--\n\n"
"context.article_span: a (first, last) tuple or None. The descriptors are those of the fields\n"
"FEATURE_FIELDS and VERDICT_FIELDS name, in order. Returns NotImplemented when the inputs are\n"
"not of the types it handles (see the module's comment).");

static PyObject *article_span(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "article_span takes 6 arguments");
        return NULL;
    }
    Doc d = {0};
    PyObject *result = NULL;
    int loaded = doc_load(&d, args);
    if (loaded < 0)
        goto done;
    if (loaded == 0) {
        result = Py_NewRef(Py_NotImplemented);
        goto done;
    }
    Py_ssize_t first, last;
    result = article_span_of(&d, &first, &last) ? Py_BuildValue("(nn)", first, last) : Py_NewRef(Py_None);
done:
    doc_clear(&d);
    return result;
}

PyDoc_STRVAR(settle_span_doc,
"settle_span(feats, verdicts, feat_cls, feat_descrs, verdict_cls, verdict_descrs, not_noise,\n"
"            stamp_key, prompt_shape)\n"
"--\n\n"
"context.python_settle_span: the rules from the article span to the naming of what is left,\n"
"the verdicts changed in place; returns (span, thread). ``not_noise`` is context.NOT_NOISE,\n"
"``stamp_key`` context._stamp_key and ``prompt_shape`` context._prompt_shape. Returns NotImplemented,\n"
"having changed nothing, when the inputs are not of the types it handles (see the module's\n"
"comment).");

static PyObject *settle_span(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "settle_span takes 9 arguments");
        return NULL;
    }
    PyObject *not_noise = args[6], *stamp_key = args[7], *prompt_shape = args[8];
    if (!PyFrozenSet_CheckExact(not_noise) || !PyCallable_Check(stamp_key) || !PyCallable_Check(prompt_shape)) {
        PyErr_SetString(PyExc_TypeError, "settle_span: expected a frozenset and two callables");
        return NULL;
    }
    State *st = state_of(module);
    Doc d = {0};
    PyObject *result = NULL;
    int got = doc_load(&d, args);
    if (got <= 0)
        goto out;
    Py_ssize_t first = -1, last = -1, thread = -1;
    int has_span = article_span_of(&d, &first, &last);
    if (has_span) {
        first = grow(&d, first, -1), last = grow(&d, last, 1);
        if (holds_the_page(&d, first, last) && (got = mark_regions(&d, st, first, last, not_noise)) <= 0)
            goto out;
        if ((got = mark_comment_thread(&d, st, first, not_noise, stamp_key, prompt_shape, &thread)) <= 0)
            goto out;
        if (mark_inline_links(&d, st, first, last, not_noise) < 0) {
            got = -1;
            goto out;
        }
    }
    if (mark_content(&d, st, has_span, first, last, not_noise) < 0) {
        got = -1;
        goto out;
    }
    PyObject *span = has_span ? Py_BuildValue("(nn)", first, last) : Py_NewRef(Py_None);
    PyObject *line = span == NULL ? NULL : thread >= 0 ? PyLong_FromSsize_t(thread) : Py_NewRef(Py_None);
    if (line == NULL) {
        Py_XDECREF(span);
        got = -1;
        goto out;
    }
    got = apply(&d);
    result = got > 0 ? PyTuple_Pack(2, span, line) : NULL;
    Py_DECREF(span);
    Py_DECREF(line);
out:
    if (got == 0 && !PyErr_Occurred())
        result = Py_NewRef(Py_NotImplemented);
    doc_clear(&d);
    return result;
}

/* ---- the module -------------------------------------------------------------------------------- */

static PyMethodDef methods[] = {
    {"article_span", (PyCFunction)(void (*)(void))article_span, METH_FASTCALL, article_span_doc},
    {"settle_span", (PyCFunction)(void (*)(void))settle_span, METH_FASTCALL, settle_span_doc},
    {NULL, NULL, 0, NULL},
};

/* The tuple of the n strs of names (a new reference), or NULL with an exception set. */
static PyObject *names_tuple(const char *const *names, Py_ssize_t n)
{
    PyObject *t = PyTuple_New(n);
    for (Py_ssize_t k = 0; t != NULL && k < n; k++) {
        PyObject *name = PyUnicode_FromString(names[k]);
        if (name == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, k, name);
    }
    return t;
}

static int add_ref(PyObject *module, const char *name, PyObject *value)
{
    int r = value != NULL ? PyModule_AddObjectRef(module, name, value) : -1;
    Py_XDECREF(value);
    return r;
}

static int exec_module(PyObject *module)
{
    State *st = state_of(module);
    st->nav = PyUnicode_InternFromString("nav");
    st->comments = PyUnicode_InternFromString("comments");
    st->related = PyUnicode_InternFromString("related");
    st->heading = PyUnicode_InternFromString("heading");
    st->body = PyUnicode_InternFromString("body");
    st->f06 = PyFloat_FromDouble(0.6);
    st->f075 = PyFloat_FromDouble(0.75);
    st->f07 = PyFloat_FromDouble(0.7);
    st->f08 = PyFloat_FromDouble(0.8);
    st->f05 = PyFloat_FromDouble(0.5);
    st->subtitle = PyUnicode_FromString(SUBTITLE_REASON);
    st->inline_link = PyUnicode_FromString("lone bulleted headline between paragraphs: a link to another story");
    st->between = PyUnicode_FromString("short line between paragraphs of the article");
    st->inside = PyUnicode_FromString("inside the article, between body lines");
    st->no_rule = PyUnicode_FromString("no noise rule fired");
    if (!st->nav || !st->comments || !st->related || !st->heading || !st->body || !st->f06 || !st->f075 || !st->f07 ||
        !st->f08 || !st->f05 || !st->subtitle || !st->inline_link || !st->between || !st->inside || !st->no_rule)
        return -1;
    /* The constants of context.py this module has in it (context.py checks them). */
    PyObject *constants = Py_BuildValue(
        "{sisisisisdsisisisisisisss(ss)ss}", "CJK_PROSE_CHARS", CJK_PROSE_CHARS, "ANCHOR_WORDS", ANCHOR_WORDS, "MAX_GAP",
        MAX_GAP, "SPAN_MIN_WORDS", SPAN_MIN_WORDS, "SPAN_MIN_SHARE", SPAN_MIN_SHARE, "TAB_MAX_WORDS", TAB_MAX_WORDS,
        "SIGNATURE_MIN_RUN", SIGNATURE_MIN_RUN, "SIGNATURE_MAX_GAP", SIGNATURE_MAX_GAP, "STAMP_MAX_WORDS",
        STAMP_MAX_WORDS, "STAMP_MAX_CHARS", STAMP_MAX_CHARS, "PER_POST_MIN", PER_POST_MIN,
        "PROMPT_REASON", PROMPT_REASON, "BARE_HEADERS", "comments", "comment", "SUBTITLE_REASON", SUBTITLE_REASON);
    return add_ref(module, "CONSTANTS", constants) < 0 ||
                   add_ref(module, "FEATURE_FIELDS", names_tuple(feature_names, N_F)) < 0 ||
                   add_ref(module, "VERDICT_FIELDS", names_tuple(verdict_names, N_V)) < 0
               ? -1
               : 0;
}

static int traverse(PyObject *module, visitproc visit, void *arg)
{
    State *st = state_of(module);
    if (st != NULL) {
        PyObject **all = (PyObject **)st;
        for (size_t k = 0; k < sizeof(State) / sizeof(PyObject *); k++)
            Py_VISIT(all[k]);
    }
    return 0;
}

static int clear(PyObject *module)
{
    State *st = state_of(module);
    if (st != NULL) {
        PyObject **all = (PyObject **)st;
        for (size_t k = 0; k < sizeof(State) / sizeof(PyObject *); k++)
            Py_CLEAR(all[k]);
    }
    return 0;
}

static void free_module(void *module) { clear((PyObject *)module); }

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, (void *)exec_module},
    {0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    "boilerstrip._ccontext",
    "The article span and the rules that follow it (regions, comment thread, inline links, content)\n"
    "in C; see boilerstrip.context.settle_span, which falls back to Python.",
    sizeof(State),
    methods,
    slots,
    traverse,
    clear,
    free_module,
};

PyMODINIT_FUNC PyInit__ccontext(void) { return PyModuleDef_Init(&moduledef); }
