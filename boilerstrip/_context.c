/* boilerstrip._ccontext: the context pass in C, in two calls (settle_head, then settle_span).
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
 * - settle_head: context.python_settle_head in one call: the rules before the span is settled
 *   (mark_list_blocks, mark_ingredients, mark_suffixed_titles, mark_author_names,
 *   mark_author_bio, article_span, mark_title, mark_repeats, mark_caption_copies,
 *   headline_repeat), on the same rows and actions, with the kinds these rules ask about kept
 *   beside the rows. What stays Python is passed in (context._HEAD_CALLS) and called only where
 *   the Python code would call it or a cheap exact test cannot rule it out: the quantity pattern
 *   for keys starting with a digit (str.isdigit) or a fraction, of at most twelve words; the
 *   site-suffix pattern for keys holding whitespace, a separator and whitespace; the author
 *   patterns and casefold for author lines; duplicates.find_repeats once per page and
 *   _headline_parts once for the title. It also reads LineFeatures.ends_ellipsis and the texts
 *   (an exact list or tuple of exact strs, else a hand-back), and hands back too when a call
 *   returns another type than the pure path gets (a str subclass for a site or a surname, repeats
 *   that are not an exact list of None and exact ints of earlier lines, parts that are not a set
 *   or frozenset). HEAD_CONSTANTS holds the constants of these rules that context.py defines by
 *   name (context.py checks them at import); tests/test_ccontext_head.py tries them at their bounds.
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

#include "_records.h" /* the records' slots: member_offsets, slot, number, flag, MAX_EXACT, add_names */

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

/* ---- strs ------------------------------------------------------------------------------------- */

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

/* ---- the head of the pass: the rules before the span is settled ------------------------------- */

/* context.python_settle_head in one call (settle_head below): mark_list_blocks, mark_ingredients,
 * mark_suffixed_titles, mark_author_names, mark_author_bio, article_span, mark_title,
 * mark_repeats, mark_caption_copies and headline_repeat, on the rows and actions above. The
 * kinds these rules ask about are kept per line beside the rows (Head.kind). */

#define INGREDIENTS_MIN_RUN 3
#define INGREDIENT_REASON "ingredient list of a recipe"
#define INGREDIENT_MAX_WORDS 12
#define INGREDIENT_COUNT_MAX_WORDS 6
#define AMOUNT_MAX_WORDS 3
#define SUFFIX_MIN_LINES 3
#define CAPTION_MIN_WORDS 4
#define HEADING_MAX_WORDS 10
#define HEADING_PARAGRAPH_WORDS 30
#define TITLE_FAR_LINES 16
#define OPENING_MIN_WORDS 40
#define OPENING_MAX_SHORT 6

enum { H_OTHER, H_RELATED, H_META, H_NAV, H_TITLE, H_CAPTION, H_AUTHOR };

static char head_kind(PyObject *kind)
{
    return equals(kind, "related")   ? H_RELATED
           : equals(kind, "meta")    ? H_META
           : equals(kind, "nav")     ? H_NAV
           : equals(kind, "title")   ? H_TITLE
           : equals(kind, "caption") ? H_CAPTION
           : equals(kind, "author")  ? H_AUTHOR
                                     : H_OTHER;
}

/* The Python callables the head rules ask (context._HEAD_CALLS, in this order). */
enum { C_QUANTITY, C_SITE_SUFFIX, C_SITE_NAME, C_BIO_SURNAME, C_NAMES, C_NAME_IN_BIO, C_FIND_REPEATS, C_HEADLINE_PARTS, N_C };

/* What the head rules hold beside the Doc: the keys and texts (tuples, owned), each line's kind
 * as they ask it and its ends_ellipsis, the callables, the kinds and scores they set (owned). */
typedef struct {
    PyObject *keys, *texts;
    char *kind, *ellipsis;
    PyObject *const *calls;
    PyObject *not_noise;
    PyObject *k_meta, *k_title, *k_caption, *k_author, *k_duplicate, *f085, *f09;
} Head;

static void head_clear(Head *h)
{
    Py_XDECREF(h->keys);
    Py_XDECREF(h->texts);
    PyMem_Free(h->kind);
    Py_XDECREF(h->k_meta);
    Py_XDECREF(h->k_title);
    Py_XDECREF(h->k_caption);
    Py_XDECREF(h->k_author);
    Py_XDECREF(h->k_duplicate);
    Py_XDECREF(h->f085);
    Py_XDECREF(h->f09);
}

/* Verdict.set(kind, score, reason, lock=lock) of line i, kept as an action (act: stealing the
 * references), with the line's head kind. 0, or -1 with an exception set. */
static int hset(Doc *d, Head *h, Py_ssize_t i, char code, PyObject *kind, PyObject *score, PyObject *reason, int lock)
{
    if (act(d, i, Py_NewRef(kind), Py_NewRef(score), reason, lock, h->not_noise) < 0)
        return -1;
    h->kind[i] = code;
    return 0;
}

ALWAYS_INLINE PyObject *hkey(const Head *h, Py_ssize_t i) { return PyTuple_GET_ITEM(h->keys, i); }

/* The last character of a key, or 0 for an empty one. */
ALWAYS_INLINE Py_UCS4 last_char(PyObject *key)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    return n ? PyUnicode_READ_CHAR(key, n - 1) : 0;
}

/* key[-1:] in "?!" (true for an empty key, as Python's "" in "?!"). */
ALWAYS_INLINE int ends_in_mark(PyObject *key)
{
    Py_UCS4 c = last_char(key);
    return PyUnicode_GET_LENGTH(key) == 0 || c == '?' || c == '!';
}

/* A fraction of context._FRACTIONS. */
ALWAYS_INLINE int fraction(Py_UCS4 c) { return c == 0xBD || c == 0xBC || c == 0xBE || c == 0x2153 || c == 0x2154; }

/* context._counted: key[:1].isdigit() or key[:1] in _FRACTIONS (true for an empty key). */
ALWAYS_INLINE int counted(PyObject *key)
{
    if (PyUnicode_GET_LENGTH(key) == 0)
        return 1;
    Py_UCS4 c = PyUnicode_READ_CHAR(key, 0);
    return Py_UNICODE_ISDIGIT(c) || fraction(c);
}

/* A call's result as a truth value: 1, 0, or -1 with an exception set. */
static int call_true(PyObject *fn, PyObject *arg)
{
    PyObject *got = PyObject_CallOneArg(fn, arg);
    if (got == NULL)
        return -1;
    int yes = PyObject_IsTrue(got);
    Py_DECREF(got);
    return yes;
}

/* context.mark_list_blocks: 0, or -1 with an exception set. */
static int head_list_blocks(Doc *d, Head *h, State *st)
{
    for (Py_ssize_t i = 0; i < d->n; i++) {
        char kind = h->kind[i];
        if (!d->rows[i].header || (kind != H_RELATED && kind != H_META))
            continue;
        for (Py_ssize_t j = next_nonblank(d, i, 1); j >= 0; j = next_nonblank(d, j, 1)) {
            const Row *f = &d->rows[j];
            if (f->header)
                break;
            if (f->noise && h->kind[j] != kind && h->kind[j] != H_NAV)
                break; /* other furniture ends the list */
            int fits = kind == H_META ? f->words <= 6 && !f->ends
                                      : f->words <= 25 && f->chars <= 200 &&
                                            (f->bullet || headline_like(f) || ends_in_mark(hkey(h, j)));
            if (!fits)
                break;
            if (h->kind[j] != kind) {
                PyObject *reason = PyUnicode_FromFormat("listed under the %s header at line %zd",
                                                        kind == H_META ? "meta" : "related", i);
                if (hset(d, h, j, kind, kind == H_META ? h->k_meta : st->related, st->f08, reason, 1) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

/* context.mark_ingredients: 0, or -1 with an exception set. */
static int head_ingredients(Doc *d, Head *h, State *st)
{
    Py_ssize_t n = d->n, count = 0;
    char *quantity = PyMem_Calloc(n ? (size_t)n : 1, 1);
    Py_ssize_t *run = PyMem_Malloc((n + 1) * sizeof(Py_ssize_t));
    int result = -1;
    if (quantity == NULL || run == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) { /* the quantity lines */
        PyObject *key = hkey(h, i);
        if (PyUnicode_GET_LENGTH(key) == 0 || !counted(key) || d->rows[i].words > INGREDIENT_MAX_WORDS)
            continue;
        int yes = call_true(h->calls[C_QUANTITY], key);
        if (yes < 0)
            goto done;
        quantity[i] = (char)yes;
        count += yes;
    }
    result = 0;
    if (count < INGREDIENTS_MIN_RUN)
        goto done;
    Py_ssize_t len = 0, header = -1;
    int amount = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        int close = i == n;
        PyObject *key = NULL;
        const Row *f = NULL;
        int shorter = 0, colon = 0;
        if (!close) {
            f = &d->rows[i];
            if (f->blank)
                continue;
            key = hkey(h, i);
            shorter = f->words <= INGREDIENT_COUNT_MAX_WORDS;
            colon = last_char(key) == ':';
            if (quantity[i]) {
                if (!len && header >= 0)
                    run[len++] = header;
                run[len++] = i;
            } else if (len && f->words <= INGREDIENT_MAX_WORDS && (colon || amount || (shorter && counted(key)))) {
                run[len++] = i;
            } else if (len) {
                close = 1;
            }
        }
        if (close) {
            Py_ssize_t held = 0;
            for (Py_ssize_t k = 0; k < len; k++)
                held += quantity[run[k]];
            if (held >= INGREDIENTS_MIN_RUN) {
                PyObject *reason =
                    PyUnicode_FromFormat(INGREDIENT_REASON " (lines %zd to %zd)", run[0], run[len - 1]);
                if (reason == NULL) {
                    result = -1;
                    goto done;
                }
                for (Py_ssize_t k = 0; k < len; k++)
                    if (!d->rows[run[k]].noise &&
                        hset(d, h, run[k], H_OTHER, st->body, st->f075, Py_NewRef(reason), 1) < 0) {
                        Py_DECREF(reason);
                        result = -1;
                        goto done;
                    }
                Py_DECREF(reason);
            }
            len = 0;
        }
        if (i < n) {
            header = shorter && colon ? i : -1;
            amount = f->words <= AMOUNT_MAX_WORDS && counted(key);
        }
    }
done:
    PyMem_Free(quantity);
    PyMem_Free(run);
    return result;
}

/* Whether a key holds what _SITE_SUFFIX needs before its name: whitespace, a separator ("-",
 * "|", "–", "—", "::", "»") and whitespace again (the pattern's \s is Py_UNICODE_ISSPACE). Without
 * it the pattern cannot match. */
static int has_separator(PyObject *key)
{
    int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    for (Py_ssize_t k = 0; k + 2 < n; k++) {
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, k)))
            continue;
        Py_UCS4 c = PyUnicode_READ(kind, data, k + 1);
        Py_ssize_t after = k + 2;
        if (c == ':' && PyUnicode_READ(kind, data, k + 2) == ':')
            after = k + 3;
        else if (c != '-' && c != '|' && c != 0x2013 && c != 0x2014 && c != 0xBB)
            continue;
        if (after < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, after)))
            return 1;
    }
    return 0;
}

/* context.mark_suffixed_titles: 1, 0 to hand back, -1 with an exception set. */
static int head_suffixed_titles(Doc *d, Head *h, State *st)
{
    PyObject *found = NULL;
    int result = -1;
    for (Py_ssize_t i = 0; i < d->n; i++) {
        const Row *f = &d->rows[i];
        if (f->blank || f->noise || f->words > 30 || (f->ends && !h->ellipsis[i]) || !has_separator(hkey(h, i)))
            continue;
        PyObject *site = PyObject_CallOneArg(h->calls[C_SITE_SUFFIX], hkey(h, i));
        if (site == NULL)
            goto done;
        if (site == Py_None) {
            Py_DECREF(site);
            continue;
        }
        if (!PyUnicode_CheckExact(site)) {
            Py_DECREF(site);
            result = 0;
            goto done;
        }
        PyObject *lines = found != NULL ? PyDict_GetItemWithError(found, site) : NULL;
        PyObject *line = PyLong_FromSsize_t(i);
        int bad = line == NULL || PyErr_Occurred() || (found == NULL && (found = PyDict_New()) == NULL);
        if (!bad && lines == NULL) {
            lines = PyList_New(0);
            bad = lines == NULL || PyDict_SetItem(found, site, lines) < 0;
            Py_XDECREF(lines); /* the dict holds it */
        }
        bad = bad || PyList_Append(lines, line) < 0;
        Py_XDECREF(line);
        Py_DECREF(site);
        if (bad)
            goto done;
    }
    result = 1;
    if (found == NULL)
        goto done;
    PyObject *site, *lines;
    Py_ssize_t pos = 0;
    while (PyDict_Next(found, &pos, &site, &lines)) {
        Py_ssize_t m = PyList_GET_SIZE(lines);
        if (m < SUFFIX_MIN_LINES)
            continue;
        Py_ssize_t first = PyLong_AsSsize_t(PyList_GET_ITEM(lines, 0));
        PyObject *name = PyObject_CallOneArg(h->calls[C_SITE_NAME], PyTuple_GET_ITEM(h->texts, first));
        if (name == NULL || !PyUnicode_CheckExact(name)) {
            result = name == NULL ? -1 : 0;
            Py_XDECREF(name);
            goto done;
        }
        PyObject *reason = PyUnicode_FromFormat("one of %zd lines ending in \"%U\": titles of linked pages", m, name);
        Py_DECREF(name);
        if (reason == NULL) {
            result = -1;
            goto done;
        }
        for (Py_ssize_t k = 0; k < m; k++)
            if (hset(d, h, PyLong_AsSsize_t(PyList_GET_ITEM(lines, k)), H_RELATED, st->related, st->f07,
                     Py_NewRef(reason), 0) < 0) {
                Py_DECREF(reason);
                result = -1;
                goto done;
            }
        Py_DECREF(reason);
    }
done:
    Py_XDECREF(found);
    return result;
}

/* context.mark_author_names: 0, or -1 with an exception set. */
static int head_author_names(Doc *d, Head *h)
{
    for (Py_ssize_t i = 0; i < d->n; i++) {
        if (h->kind[i] != H_AUTHOR || d->rows[i].words < 8)
            continue;
        PyObject *reason = NULL;
        for (int step = -1; step <= 1; step += 2) {
            for (Py_ssize_t j = next_nonblank(d, i, step); j >= 0 && (j > i ? j - i : i - j) <= 4;
                 j = next_nonblank(d, j, step)) {
                const Row *f = &d->rows[j];
                if (f->noise || f->words > 5 || f->ends)
                    break;
                PyObject *got = PyObject_CallFunctionObjArgs(h->calls[C_NAME_IN_BIO], PyTuple_GET_ITEM(h->texts, j),
                                                             PyTuple_GET_ITEM(h->texts, i), NULL);
                int yes = got != NULL ? PyObject_IsTrue(got) : -1;
                Py_XDECREF(got);
                if (yes <= 0) {
                    if (yes == 0)
                        break;
                    Py_XDECREF(reason);
                    return -1;
                }
                if (reason == NULL &&
                    (reason = PyUnicode_FromFormat("name of the author whose bio is at line %zd", i)) == NULL)
                    return -1;
                if (hset(d, h, j, H_AUTHOR, h->k_author, h->f085, Py_NewRef(reason), 1) < 0) {
                    Py_DECREF(reason);
                    return -1;
                }
            }
        }
        Py_XDECREF(reason);
    }
    return 0;
}

/* context.mark_author_bio: 1, 0 to hand back, -1 with an exception set. */
static int head_author_bio(Doc *d, Head *h, State *st)
{
    for (Py_ssize_t i = 0; i < d->n; i++) { /* the lines it turns to author are visited in turn */
        if (h->kind[i] != H_AUTHOR)
            continue;
        PyObject *surname = PyObject_CallOneArg(h->calls[C_BIO_SURNAME], PyTuple_GET_ITEM(h->texts, i));
        if (surname == NULL)
            return -1;
        if (surname == Py_None) {
            Py_DECREF(surname);
            continue;
        }
        if (!PyUnicode_CheckExact(surname)) {
            Py_DECREF(surname);
            return 0;
        }
        PyObject *reason = NULL;
        int result = 1;
        for (Py_ssize_t j = next_nonblank(d, i, 1); j >= 0 && !d->rows[j].noise && prose_like(&d->rows[j]);
             j = next_nonblank(d, j, 1)) {
            PyObject *got = PyObject_CallFunctionObjArgs(h->calls[C_NAMES], surname, PyTuple_GET_ITEM(h->texts, j), NULL);
            int yes = got != NULL ? PyObject_IsTrue(got) : -1;
            Py_XDECREF(got);
            if (yes <= 0) {
                result = yes == 0 ? 1 : -1;
                break;
            }
            if (reason == NULL &&
                (reason = PyUnicode_FromFormat("continues the author bio at line %zd (names %U)", i, surname)) == NULL) {
                result = -1;
                break;
            }
            if (hset(d, h, j, H_AUTHOR, h->k_author, st->f08, Py_NewRef(reason), 1) < 0) {
                result = -1;
                break;
            }
        }
        Py_XDECREF(reason);
        Py_DECREF(surname);
        if (result < 0)
            return -1;
    }
    return 1;
}

/* context._title_like */
static int title_like(const Doc *d, const Head *h, Py_ssize_t i)
{
    const Row *f = &d->rows[i];
    if (f->noise || f->locked || f->blank || !(headline_like(f) || (3 <= f->words && f->words <= 30 && !prose_like(f))))
        return 0;
    return !f->ends || ends_in_mark(hkey(h, i));
}

/* context.mark_title: the title's line (-1 for None), or -2 with an exception set. */
static Py_ssize_t head_title(Doc *d, Head *h, State *st, int has_span, Py_ssize_t first, Py_ssize_t last)
{
    Py_ssize_t end = has_span ? first : d->n < 12 ? d->n : 12, i = -1;
    Py_ssize_t *candidates = PyMem_Malloc((end > 0 ? (size_t)end : 1) * sizeof(Py_ssize_t)), m = 0;
    if (candidates == NULL) {
        PyErr_NoMemory();
        return -2;
    }
    for (Py_ssize_t k = 0; k < end; k++)
        if (title_like(d, h, k))
            candidates[m++] = k;
    if (m == 0)
        goto done;
    i = candidates[0];
    for (Py_ssize_t c = 1; c < m; c++) {
        Py_ssize_t j = candidates[c];
        PyObject *key = hkey(h, j);
        if (PyUnicode_GET_LENGTH(key) < 12)
            continue;
        Py_ssize_t in = PyUnicode_Contains(hkey(h, i), key);
        if (in < 0)
            goto fail;
        if (in) {
            if (hset(d, h, i, H_NAV, st->nav, h->f085,
                     PyUnicode_FromFormat("page title or breadcrumb holding the headline at line %zd", j), 1) < 0)
                goto fail;
            i = j;
            break;
        }
    }
    Py_ssize_t lines = 0;
    for (Py_ssize_t k = i + 1; has_span && k < first; k++)
        lines += !d->rows[k].blank;
    int r;
    if (has_span && lines >= TITLE_FAR_LINES && holds_the_page(d, first, last))
        r = hset(d, h, i, H_NAV, st->nav, st->f07,
                 PyUnicode_FromFormat("page title, %d lines or more above the article (line %zd)", TITLE_FAR_LINES, first),
                 0);
    else
        r = hset(d, h, i, H_TITLE, h->k_title, st->f08, PyUnicode_FromString("first headline-like line above the article"),
                 0);
    if (r < 0)
        goto fail;
done:
    PyMem_Free(candidates);
    return i;
fail:
    PyMem_Free(candidates);
    return -2;
}

/* context._opens_paragraph */
static int opens_paragraph(const Doc *d, Py_ssize_t i)
{
    Py_ssize_t k = next_nonblank(d, i, 1);
    return k >= 0 && !d->rows[k].noise && prose_like(&d->rows[k]) && d->rows[k].words >= HEADING_PARAGRAPH_WORDS;
}

/* context._copied_block, members the group's lines (the first first). */
static int copied_block(const Doc *d, const Py_ssize_t *first_of, Py_ssize_t first, const Py_ssize_t *members,
                        Py_ssize_t m)
{
    Py_ssize_t prose[2], p = 0, near[2] = {next_nonblank(d, first, -1), next_nonblank(d, first, 1)};
    for (int k = 0; k < 2; k++)
        if (near[k] >= 0 && prose_like(&d->rows[near[k]]))
            prose[p++] = near[k];
    for (Py_ssize_t c = 1; c < m; c++) {
        int any = 0;
        for (Py_ssize_t k = 0; k < p && !any; k++) {
            Py_ssize_t at = prose[k] + members[c] - first;
            any = 0 <= at && at < d->n && first_of[at] == prose[k];
        }
        if (!any)
            return 0;
    }
    return 1;
}

/* The lines each line repeats (find_repeats of the texts, blank lines as ""), as indices (-1:
 * None) in first_of: 1, 0 to hand back, -1 with an exception set. */
static int repeats_of(const Doc *d, Head *h, PyObject *cache, Py_ssize_t *first_of)
{
    PyObject *texts = PyList_New(d->n), *empty = PyUnicode_FromStringAndSize(NULL, 0);
    if (texts == NULL || empty == NULL) {
        Py_XDECREF(texts);
        Py_XDECREF(empty);
        return -1;
    }
    for (Py_ssize_t i = 0; i < d->n; i++)
        PyList_SET_ITEM(texts, i, Py_NewRef(d->rows[i].blank ? empty : PyTuple_GET_ITEM(h->texts, i)));
    Py_DECREF(empty);
    PyObject *got = PyObject_CallFunctionObjArgs(h->calls[C_FIND_REPEATS], texts, cache, NULL);
    Py_DECREF(texts);
    if (got == NULL)
        return -1;
    int result = PyList_CheckExact(got) && PyList_GET_SIZE(got) == d->n;
    for (Py_ssize_t i = 0; result && i < d->n; i++) {
        PyObject *v = PyList_GET_ITEM(got, i);
        if (v == Py_None) {
            first_of[i] = -1;
            continue;
        }
        int overflow;
        long long x = PyLong_CheckExact(v) ? PyLong_AsLongLongAndOverflow(v, &overflow) : -1;
        result = PyLong_CheckExact(v) && !overflow && 0 <= x && x < i; /* an earlier line */
        first_of[i] = (Py_ssize_t)x;
    }
    Py_DECREF(got);
    return result;
}

/* context.mark_repeats (start: the span's first line, or n): 1, 0 to hand back, -1 with an
 * exception set. */
static int head_repeats(Doc *d, Head *h, PyObject *cache, Py_ssize_t start)
{
    Py_ssize_t n = d->n;
    Py_ssize_t *first_of = PyMem_Malloc((5 * (size_t)n + 1) * sizeof(Py_ssize_t));
    if (first_of == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    /* The groups in the order of their first repeat (the dict's insertion order): their firsts
     * in group_firsts, the lines repeating each chained from head[first] through next (a first
     * may itself repeat another line, and so be in two groups). */
    Py_ssize_t *next = first_of + n, *head = next + n, *tail = head + n, *group_firsts = tail + n, n_groups = 0;
    Py_ssize_t *members = PyMem_Malloc((n + 1) * sizeof(Py_ssize_t));
    int result = members == NULL ? (PyErr_NoMemory(), -1) : repeats_of(d, h, cache, first_of);
    if (result <= 0)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++)
        head[i] = next[i] = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t first = first_of[i];
        if (first < 0)
            continue;
        if (head[first] < 0)
            group_firsts[n_groups++] = first, head[first] = i;
        else
            next[tail[first]] = i;
        tail[first] = i;
    }
    for (Py_ssize_t g = 0; g < n_groups; g++) {
        Py_ssize_t first = group_firsts[g], m = 0;
        members[m++] = first;
        for (Py_ssize_t j = head[first]; j >= 0; j = next[j])
            members[m++] = j;
        const Row *f = &d->rows[first];
        int titled = 0;
        for (Py_ssize_t k = 0; k < m && !titled; k++)
            titled = h->kind[members[k]] == H_TITLE;
        PyObject *reason = NULL;
        if (titled) {
            for (Py_ssize_t k = 1; k < m; k++) {
                Py_ssize_t j = members[k];
                if (h->kind[j] == H_TITLE || d->rows[j].noise)
                    continue;
                if ((reason == NULL && (reason = PyUnicode_FromFormat("repeats the title at line %zd", first)) == NULL) ||
                    hset(d, h, j, H_OTHER, h->k_duplicate, h->f09, Py_NewRef(reason), 1) < 0)
                    goto fail;
            }
        } else if (f->noise && h->kind[first] != H_CAPTION) {
            for (Py_ssize_t k = 1; k < m; k++) {
                Py_ssize_t j = members[k];
                if (d->rows[j].noise)
                    continue;
                if ((reason == NULL && (reason = PyUnicode_FromFormat("repeats line %zd", first)) == NULL) ||
                    hset(d, h, j, H_OTHER, h->k_duplicate, h->f09, Py_NewRef(reason), 1) < 0)
                    goto fail;
            }
        } else if (f->words >= CAPTION_MIN_WORDS) {
            int caption = f->words <= 30 && (!f->ends || first < start) && !f->bullet;
            if (caption && copied_block(d, first_of, first, members, m))
                caption = 0; /* a short paragraph of an article the page prints twice */
            if (caption) {
                char where[160];
                int at = 0;
                for (Py_ssize_t k = 0; k < m && k < 5; k++)
                    at += snprintf(where + at, sizeof(where) - (size_t)at, "%s%zd", k ? ", " : "", members[k]);
                if (m > 5)
                    snprintf(where + at, sizeof(where) - (size_t)at, " and %zd more", m - 5);
                reason = PyUnicode_FromFormat("short line repeated at lines %s: an image caption", where);
                if (reason == NULL)
                    goto fail;
                int heading = f->words <= HEADING_MAX_WORDS && (!f->ends || last_char(hkey(h, first)) == '?');
                for (Py_ssize_t k = 0; k < m; k++) {
                    Py_ssize_t j = members[k];
                    if (heading && !d->rows[j].noise && opens_paragraph(d, j))
                        continue; /* a heading */
                    if ((!d->rows[j].noise || h->kind[j] == H_CAPTION) &&
                        hset(d, h, j, H_CAPTION, h->k_caption, h->f085, Py_NewRef(reason), 1) < 0)
                        goto fail;
                }
            } else {
                reason = PyUnicode_FromFormat(
                    "repeats line %zd (same words once quotes, case and spacing are ignored)", first);
                if (reason == NULL)
                    goto fail;
                for (Py_ssize_t k = 1; k < m; k++)
                    if (hset(d, h, members[k], H_OTHER, h->k_duplicate, h->f09, Py_NewRef(reason), 1) < 0)
                        goto fail;
            }
        }
        Py_XDECREF(reason);
        continue;
    fail:
        Py_XDECREF(reason);
        result = -1;
        break;
    }
done:
    PyMem_Free(members);
    PyMem_Free(first_of);
    return result;
}

/* context.mark_caption_copies: 0, or -1 with an exception set. */
static int head_caption_copies(Doc *d, Head *h)
{
    for (Py_ssize_t i = 0; i < d->n; i++) { /* the lines it turns to captions are visited in turn */
        if (h->kind[i] != H_CAPTION || d->rows[i].blank)
            continue;
        PyObject *cap = hkey(h, i);
        for (int step = -1; step <= 1; step += 2) {
            Py_ssize_t j = next_nonblank(d, i, step);
            if (j < 0 || (j > i ? j - i : i - j) > 3)
                continue;
            const Row *f = &d->rows[j];
            PyObject *key = hkey(h, j);
            Py_ssize_t len = PyUnicode_GET_LENGTH(key);
            if (f->noise || f->words < 3 || len == 0 || len >= PyUnicode_GET_LENGTH(cap))
                continue;
            Py_ssize_t in = PyUnicode_Contains(cap, key);
            if (in < 0)
                return -1;
            if (in && hset(d, h, j, H_CAPTION, h->k_caption, h->f085,
                           PyUnicode_FromFormat("same text as the caption at line %zd", i), 1) < 0)
                return -1;
        }
    }
    return 0;
}

/* context._opening_words */
static long long opening_words(const Doc *d, Py_ssize_t j)
{
    long long words = 0;
    int shorter = 0;
    for (Py_ssize_t k = j + 1; k < d->n; k++) {
        const Row *f = &d->rows[k];
        if (f->blank)
            continue;
        if (!f->noise && prose_like(f))
            words += f->iwords;
        else if (words == 0 && shorter < OPENING_MAX_SHORT)
            shorter++;
        else
            break;
    }
    return words;
}

/* context._prose_words */
static long long prose_words(const Doc *d, Py_ssize_t first, Py_ssize_t last)
{
    long long inside = 0;
    for (Py_ssize_t i = first; i <= last; i++)
        if ((d->rows[i].words >= 10 || d->rows[i].cjk) && prose_like(&d->rows[i]))
            inside += d->rows[i].iwords;
    return inside;
}

/* context.headline_repeat: 1, 0 to hand back, -1 with an exception set. */
static int head_headline_repeat(Doc *d, Head *h, State *st, Py_ssize_t first, Py_ssize_t last, Py_ssize_t title)
{
    PyObject *parts = PyObject_CallOneArg(h->calls[C_HEADLINE_PARTS], hkey(h, title));
    if (parts == NULL)
        return -1;
    int result = 1;
    if (!PyAnySet_CheckExact(parts)) {
        result = 0;
        goto done;
    }
    if (PySet_GET_SIZE(parts) == 0)
        goto done;
    for (Py_ssize_t j = first > title + 1 ? first : title + 1; j < d->n; j++) {
        const Row *f = &d->rows[j];
        if (f->blank || f->noise || f->words < 3)
            continue;
        int in = PySet_Contains(parts, hkey(h, j));
        if (in < 0) {
            result = -1;
            goto done;
        }
        if (!in)
            continue;
        Py_ssize_t before = next_nonblank(d, j, -1);
        long long opening = opening_words(d, j);
        if (opening < OPENING_MIN_WORDS || (before >= 0 && !d->rows[before].noise && prose_like(&d->rows[before])))
            goto done; /* a section heading or a list of teasers that names the page */
        if (j > last && opening <= prose_words(d, first, last))
            goto done; /* below a longer article: a teaser of this page in a list */
        if (hset(d, h, title, H_NAV, st->nav, h->f085,
                 PyUnicode_FromFormat("page title holding the headline at line %zd", j), 1) < 0) {
            result = -1;
            goto done;
        }
        PyObject *reason = NULL;
        for (Py_ssize_t i = title + 1; i < j; i++) {
            if (d->rows[i].blank || d->rows[i].noise)
                continue;
            PyObject *kind, *value;
            int got = best_noise(d, st, i, &kind, &value);
            if (got <= 0) {
                Py_XDECREF(reason);
                result = got;
                goto done;
            }
            if (reason == NULL &&
                (reason = PyUnicode_FromFormat("above the headline at line %zd, which repeats the page title", j)) == NULL) {
                Py_DECREF(kind);
                Py_DECREF(value);
                result = -1;
                goto done;
            }
            char code = head_kind(kind);
            if (act(d, i, kind, value, Py_NewRef(reason), 1, h->not_noise) < 0) {
                Py_DECREF(reason);
                result = -1;
                goto done;
            }
            h->kind[i] = code;
        }
        Py_XDECREF(reason);
        if (hset(d, h, j, H_TITLE, h->k_title, st->f08,
                 PyUnicode_FromFormat("repeats the headline of the page title at line %zd", title), 0) < 0)
            result = -1;
        goto done;
    }
done:
    Py_DECREF(parts);
    return result;
}

/* Reads what the head rules read beyond the Doc: 1, 0 to hand back, -1 with an exception set. */
static int head_load(const Doc *d, Head *h, PyObject *f_cls, PyObject *texts, PyObject *head_descrs)
{
    Py_ssize_t off;
    if (member_offsets(f_cls, head_descrs, 1, &off, "settle_head") < 0)
        return -1;
    PyObject *name = PyDescr_NAME(PyTuple_GET_ITEM(head_descrs, 0));
    if (!PyUnicode_Check(name) || PyUnicode_CompareWithASCIIString(name, "ends_ellipsis") != 0) {
        PyErr_SetString(PyExc_TypeError, "settle_head: expected the descriptor of ends_ellipsis");
        return -1;
    }
    h->texts = snapshot(texts);
    if (h->texts == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (PyTuple_GET_SIZE(h->texts) != d->n)
        return 0;
    h->keys = PyTuple_New(d->n);
    h->kind = PyMem_Malloc(2 * (size_t)d->n + 1);
    if (h->keys == NULL || h->kind == NULL) {
        if (h->kind == NULL)
            PyErr_NoMemory();
        return -1;
    }
    h->ellipsis = h->kind + d->n;
    for (Py_ssize_t i = 0; i < d->n; i++) {
        PyObject *f = PyTuple_GET_ITEM(d->feats, i), *v = PyTuple_GET_ITEM(d->verdicts, i);
        PyObject *key = key_of(d, i), *kind = *slot(v, d->v_off[V_KIND]);
        int ellipsis = flag(*slot(f, off));
        if (key == NULL || kind == NULL || !PyUnicode_CheckExact(kind) || ellipsis < 0 ||
            !PyUnicode_CheckExact(PyTuple_GET_ITEM(h->texts, i)))
            return 0;
        PyTuple_SET_ITEM(h->keys, i, Py_NewRef(key));
        h->kind[i] = head_kind(kind), h->ellipsis[i] = (char)ellipsis;
    }
    return 1;
}

static int add_ref(PyObject *module, const char *name, PyObject *value);

/* The constants of context.py the head rules hold, as the module's HEAD_CONSTANTS (context.py
 * checks them): 0, or -1 with an exception set. */
static int add_head_constants(PyObject *module)
{
    PyObject *constants = Py_BuildValue(
        "{sisssisisisisisisisisisisss(ss)}", "INGREDIENTS_MIN_RUN", INGREDIENTS_MIN_RUN, "INGREDIENT_REASON",
        INGREDIENT_REASON, "INGREDIENT_MAX_WORDS", INGREDIENT_MAX_WORDS, "INGREDIENT_COUNT_MAX_WORDS",
        INGREDIENT_COUNT_MAX_WORDS, "AMOUNT_MAX_WORDS", AMOUNT_MAX_WORDS, "SUFFIX_MIN_LINES", SUFFIX_MIN_LINES,
        "CAPTION_MIN_WORDS", CAPTION_MIN_WORDS, "HEADING_MAX_WORDS", HEADING_MAX_WORDS, "HEADING_PARAGRAPH_WORDS",
        HEADING_PARAGRAPH_WORDS, "TITLE_FAR_LINES", TITLE_FAR_LINES, "OPENING_MIN_WORDS", OPENING_MIN_WORDS,
        "OPENING_MAX_SHORT", OPENING_MAX_SHORT, "_FRACTIONS", "\xc2\xbd\xc2\xbc\xc2\xbe\xe2\x85\x93\xe2\x85\x94",
        "LIST_KINDS", "related", "meta");
    return add_ref(module, "HEAD_CONSTANTS", constants);
}

PyDoc_STRVAR(settle_head_doc,
"settle_head(feats, verdicts, feat_cls, feat_descrs, verdict_cls, verdict_descrs, not_noise,\n"
"            texts, head_descrs, calls, cache)\n"
"--\n\n"
"context.python_settle_head: the context rules before the span is settled, the verdicts changed\n"
"in place; returns None. ``head_descrs`` holds the descriptor of LineFeatures.ends_ellipsis,\n"
"``calls`` is context._HEAD_CALLS and ``cache`` the words cache find_repeats takes. Returns\n"
"NotImplemented, having changed nothing, when the inputs are not of the types it handles (see\n"
"the module's comment).");

static PyObject *settle_head(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 11) {
        PyErr_SetString(PyExc_TypeError, "settle_head takes 11 arguments");
        return NULL;
    }
    PyObject *not_noise = args[6], *texts = args[7], *head_descrs = args[8], *calls = args[9], *cache = args[10];
    if (!PyFrozenSet_CheckExact(not_noise) || !PyTuple_CheckExact(calls) || PyTuple_GET_SIZE(calls) != N_C) {
        PyErr_SetString(PyExc_TypeError, "settle_head: expected a frozenset and a tuple of the calls");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < N_C; k++)
        if (!PyCallable_Check(PyTuple_GET_ITEM(calls, k))) {
            PyErr_SetString(PyExc_TypeError, "settle_head: expected a tuple of callables");
            return NULL;
        }
    State *st = state_of(module);
    Doc d = {0};
    Head h = {0};
    h.calls = &PyTuple_GET_ITEM(calls, 0), h.not_noise = not_noise;
    int got = doc_load(&d, args);
    if (got <= 0)
        goto out;
    if (d.n == 0) {
        got = 1;
        goto out;
    }
    got = head_load(&d, &h, args[2], texts, head_descrs);
    if (got <= 0)
        goto out;
    h.k_meta = PyUnicode_InternFromString("meta"), h.k_title = PyUnicode_InternFromString("title");
    h.k_caption = PyUnicode_InternFromString("caption"), h.k_author = PyUnicode_InternFromString("author");
    h.k_duplicate = PyUnicode_InternFromString("duplicate");
    h.f085 = PyFloat_FromDouble(0.85), h.f09 = PyFloat_FromDouble(0.9);
    if (!h.k_meta || !h.k_title || !h.k_caption || !h.k_author || !h.k_duplicate || !h.f085 || !h.f09) {
        got = -1;
        goto out;
    }
    if (head_list_blocks(&d, &h, st) < 0 || head_ingredients(&d, &h, st) < 0 ||
        (got = head_suffixed_titles(&d, &h, st)) <= 0 || head_author_names(&d, &h) < 0 ||
        (got = head_author_bio(&d, &h, st)) <= 0) {
        if (got > 0)
            got = -1;
        goto out;
    }
    Py_ssize_t first = -1, last = -1;
    int has_span = article_span_of(&d, &first, &last);
    Py_ssize_t title = head_title(&d, &h, st, has_span, first, last);
    if (title == -2 || (got = head_repeats(&d, &h, cache, has_span ? first : d.n)) <= 0 ||
        head_caption_copies(&d, &h) < 0 ||
        (has_span && title >= 0 && (got = head_headline_repeat(&d, &h, st, first, last, title)) <= 0)) {
        if (got > 0)
            got = -1;
        goto out;
    }
    got = apply(&d);
out:;
    PyObject *result = got > 0 ? Py_NewRef(Py_None) : got == 0 && !PyErr_Occurred() ? Py_NewRef(Py_NotImplemented) : NULL;
    head_clear(&h);
    doc_clear(&d);
    return result;
}

/* ---- the module -------------------------------------------------------------------------------- */

static PyMethodDef methods[] = {
    {"article_span", (PyCFunction)(void (*)(void))article_span, METH_FASTCALL, article_span_doc},
    {"settle_span", (PyCFunction)(void (*)(void))settle_span, METH_FASTCALL, settle_span_doc},
    {"settle_head", (PyCFunction)(void (*)(void))settle_head, METH_FASTCALL, settle_head_doc},
    {NULL, NULL, 0, NULL},
};

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
    return add_ref(module, "CONSTANTS", constants) < 0 || add_head_constants(module) < 0 ||
                   add_names(module, "FEATURE_FIELDS", feature_names, N_F) < 0 ||
                   add_names(module, "VERDICT_FIELDS", verdict_names, N_V) < 0
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
    "The context pass in C, in two calls: the rules before the article span is settled (lists,\n"
    "ingredients, linked titles, the author box, the title, repeats, captions, the headline) and\n"
    "the span with the rules that follow it (regions, comment thread, inline links, content); see\n"
    "boilerstrip.context.settle_head and settle_span, which fall back to Python.",
    sizeof(State),
    methods,
    slots,
    traverse,
    clear,
    free_module,
};

PyMODINIT_FUNC PyInit__ccontext(void) { return PyModuleDef_Init(&moduledef); }
