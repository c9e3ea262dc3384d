/* Tree-ensemble evaluation for boilerstrip.model.Ensemble: the same walk as its NumPy code,
 * row by row, and the same (pairwise) summation of the leaf values, so results are bitwise equal.
 * pack() turns an ensemble's arrays, checked once, into complete binary trees held by a capsule;
 * raw() walks them. Arrays come in through the buffer protocol; no NumPy headers are needed. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "_pairwise_sum.h"

#define PACKED_NAME "boilerstrip._ctrees.packed"
#define MAX_DEPTH 12 /* deeper walks are not unrolled: 2 ** (depth + 1) nodes a tree */

/* A node of a packed tree: an inner node goes to 2k (x[feature] <= threshold) or 2k + 1 (else,
 * NaN included); at a leaf, threshold holds the leaf's value. */
typedef struct {
    double threshold;
    int32_t feature;
    int32_t unused;
} Node;

#define LANES 8 /* trees walked together, for each of two rows: 16 chains of dependent loads overlap */

/* Each tree as the complete binary tree of depth `depth`, numbered from 1 (root) in breadth-first
 * order (slot 0 unused): its leaves are nodes 2 ** depth .. 2 ** (depth + 1) - 1; a leaf the
 * ensemble reaches in fewer steps is copied down. The trees go in groups of LANES, interleaved:
 * node k of tree t is nodes[(t / LANES * 2 ** (depth + 1) + k) * LANES + t % LANES], so a walk's
 * step finds its node at a constant offset from where k points in the group. The last group is
 * filled up with trees of zeros, walked but not summed. */
typedef struct {
    Py_ssize_t n_trees, depth, n_cols;
    double base;
    Node *nodes;
} Packed;

static int
get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, const char *name, int writable)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0) {
        return -1;
    }
    if (view->itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: expected items of %zd bytes, got %zd", name, itemsize, view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static void
packed_free(PyObject *capsule)
{
    Packed *p = PyCapsule_GetPointer(capsule, PACKED_NAME);
    if (p != NULL) {
        PyMem_Free(p->nodes);
        PyMem_Free(p);
    }
}

/* Steps after which every walk from a root rests on a leaf (a node that points to itself), at
 * most `depth`; MAX_DEPTH + 1 when that is more than MAX_DEPTH. `seen` and `next` hold n_nodes. */
static Py_ssize_t
steps_to_leaves(const Py_ssize_t *child, const Py_ssize_t *roots, Py_ssize_t n_trees, Py_ssize_t n_nodes,
                Py_ssize_t depth, char *seen, char *next)
{
    memset(seen, 0, (size_t)n_nodes);
    for (Py_ssize_t t = 0; t < n_trees; t++) {
        seen[roots[t]] = 1;
    }
    for (Py_ssize_t s = 0; s < depth; s++) {
        int moving = 0;
        memset(next, 0, (size_t)n_nodes);
        for (Py_ssize_t i = 0; i < n_nodes; i++) {
            if (seen[i]) {
                next[child[2 * i]] = next[child[2 * i + 1]] = 1;
                moving |= child[2 * i] != i || child[2 * i + 1] != i;
            }
        }
        if (!moving) {
            return s;
        }
        if (s == MAX_DEPTH) {
            return MAX_DEPTH + 1;
        }
        memcpy(seen, next, (size_t)n_nodes);
    }
    return depth;
}

PyDoc_STRVAR(pack_doc,
"pack(feature, threshold, child, value, roots, depth, base, n_cols)\n--\n\n"
"boilerstrip.model.Ensemble's arrays (feature, child and roots intp, threshold and value\n"
"float64), checked and unrolled into complete binary trees, as a capsule for raw(); None when\n"
"the walks are too deep to unroll. ValueError when a node points outside the arrays or at a\n"
"feature not below n_cols.");

static PyObject *
trees_pack(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *objs[5];
    Py_ssize_t depth, n_cols;
    double base;
    if (!PyArg_ParseTuple(args, "OOOOOndn:pack", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4], &depth, &base,
                          &n_cols)) {
        return NULL;
    }
    static const char *names[5] = {"feature", "threshold", "child", "value", "roots"};
    Py_ssize_t sizes[5] = {sizeof(Py_ssize_t), sizeof(double), sizeof(Py_ssize_t), sizeof(double),
                           sizeof(Py_ssize_t)};
    Py_buffer v[5];
    int got = 0;
    PyObject *result = NULL;
    char *marks = NULL;
    Py_ssize_t *ids = NULL;
    Packed *p = NULL;
    for (; got < 5; got++) {
        if (get_buffer(objs[got], &v[got], sizes[got], names[got], 0) < 0) {
            goto done;
        }
    }
    const Py_ssize_t *feature = v[0].buf, *child = v[2].buf, *roots = v[4].buf;
    const double *threshold = v[1].buf, *value = v[3].buf;
    Py_ssize_t n_nodes = v[0].len / (Py_ssize_t)sizeof(Py_ssize_t);
    Py_ssize_t n_trees = v[4].len / (Py_ssize_t)sizeof(Py_ssize_t);
    if (v[1].len / (Py_ssize_t)sizeof(double) != n_nodes || v[3].len / (Py_ssize_t)sizeof(double) != n_nodes
        || v[2].len / (Py_ssize_t)sizeof(Py_ssize_t) != 2 * n_nodes || depth < 0 || n_cols < 0
        || n_cols > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "pack: arrays of inconsistent shapes");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n_nodes; i++) {
        if (feature[i] < 0 || feature[i] >= n_cols || child[2 * i] < 0 || child[2 * i] >= n_nodes
            || child[2 * i + 1] < 0 || child[2 * i + 1] >= n_nodes) {
            PyErr_SetString(PyExc_ValueError, "pack: a node points outside the arrays");
            goto done;
        }
    }
    for (Py_ssize_t t = 0; t < n_trees; t++) {
        if (roots[t] < 0 || roots[t] >= n_nodes) {
            PyErr_SetString(PyExc_ValueError, "pack: a root points outside the arrays");
            goto done;
        }
    }
    marks = PyMem_Malloc(2 * (size_t)n_nodes + 1);
    if (marks == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    depth = steps_to_leaves(child, roots, n_trees, n_nodes, depth, marks, marks + n_nodes);
    if (depth > MAX_DEPTH) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    Py_ssize_t width = (Py_ssize_t)2 << depth; /* nodes a packed tree takes */
    Py_ssize_t n_groups = (n_trees + LANES - 1) / LANES;
    if (n_groups > PY_SSIZE_T_MAX / LANES / width / (Py_ssize_t)sizeof(Node)) {
        PyErr_NoMemory();
        goto done;
    }
    p = PyMem_Malloc(sizeof(Packed));
    ids = PyMem_New(Py_ssize_t, width);
    if (p != NULL) {
        p->nodes = PyMem_Calloc((size_t)(n_groups * width * LANES + 1), sizeof(Node));
    }
    if (p == NULL || ids == NULL || p->nodes == NULL) {
        if (p != NULL) {
            PyMem_Free(p->nodes);
        }
        PyMem_Free(p);
        p = NULL;
        PyErr_NoMemory();
        goto done;
    }
    p->n_trees = n_trees;
    p->depth = depth;
    p->n_cols = n_cols;
    p->base = base;
    for (Py_ssize_t t = 0; t < n_trees; t++) {
        Node *tree = p->nodes + t / LANES * width * LANES + t % LANES;
        ids[1] = roots[t];
        for (Py_ssize_t k = 1; k < width / 2; k++) { /* inner nodes: ids[k] is where the walk is */
            Py_ssize_t at = ids[k];
            tree[k * LANES] = (Node){threshold[at], (int32_t)feature[at], 0};
            ids[2 * k] = child[2 * at + 1];
            ids[2 * k + 1] = child[2 * at];
        }
        for (Py_ssize_t k = width / 2; k < width; k++) {
            tree[k * LANES] = (Node){value[ids[k]], 0, 0};
        }
    }
    result = PyCapsule_New(p, PACKED_NAME, packed_free);
    if (result == NULL) {
        PyMem_Free(p->nodes);
        PyMem_Free(p);
    }
done:
    PyMem_Free(ids);
    PyMem_Free(marks);
    for (int k = 0; k < got; k++) {
        PyBuffer_Release(&v[k]);
    }
    return result;
}

/* Walks the LANES trees of a group from `tree` for the rows x0 and x1 and writes their leaf
 * values to w0 and w1. */
static inline void
walk_group(const Node *tree, Py_ssize_t depth, const double *x0, const double *x1, double *w0, double *w1)
{
    Py_ssize_t k0[LANES], k1[LANES]; /* node k of lane j is tree[k * LANES + j] */
    for (int j = 0; j < LANES; j++) {
        k0[j] = k1[j] = 1;
    }
    for (Py_ssize_t d = 0; d < depth; d++) {
        for (int j = 0; j < LANES; j++) {
            const Node *n0 = tree + k0[j] * LANES + j, *n1 = tree + k1[j] * LANES + j;
            k0[j] = 2 * k0[j] + !(x0[n0->feature] <= n0->threshold);
            k1[j] = 2 * k1[j] + !(x1[n1->feature] <= n1->threshold);
        }
    }
    for (int j = 0; j < LANES; j++) {
        w0[j] = tree[k0[j] * LANES + j].threshold;
        w1[j] = tree[k1[j] * LANES + j].threshold;
    }
}

PyDoc_STRVAR(raw_doc,
"raw(X, packed, out)\n--\n\n"
"Summed tree outputs (plus base) of each row of the C-contiguous float64 matrix X (rows x\n"
"columns, the columns pack() was given), written to the float64 array out; packed is what\n"
"pack() made.");

static PyObject *
trees_raw(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *x_obj, *packed, *out_obj;
    if (!PyArg_ParseTuple(args, "OOO:raw", &x_obj, &packed, &out_obj)) {
        return NULL;
    }
    const Packed *p = PyCapsule_GetPointer(packed, PACKED_NAME);
    if (p == NULL) {
        return NULL;
    }
    Py_buffer vx, vout;
    if (get_buffer(x_obj, &vx, sizeof(double), "X", 0) < 0) {
        return NULL;
    }
    if (get_buffer(out_obj, &vout, sizeof(double), "out", 1) < 0) {
        PyBuffer_Release(&vx);
        return NULL;
    }
    PyObject *result = NULL;
    double *work = NULL;
    Py_ssize_t n_out = vout.len / (Py_ssize_t)sizeof(double);
    if (vx.ndim != 2 || vx.shape[0] != n_out || vx.shape[1] != p->n_cols) {
        PyErr_SetString(PyExc_ValueError, "raw: arrays of inconsistent shapes");
        goto done;
    }
    Py_ssize_t n_groups = (p->n_trees + LANES - 1) / LANES;
    work = PyMem_New(double, 2 * n_groups * LANES + 1); /* the leaf values of two rows */
    if (work == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    {
        const double *X = vx.buf;
        double *out = vout.buf, *work1 = work + n_groups * LANES;
        const Py_ssize_t n_cols = p->n_cols, depth = p->depth, group = ((Py_ssize_t)2 << depth) * LANES;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < n_out; r += 2) {
            const double *x0 = X + r * n_cols;
            const double *x1 = r + 1 < n_out ? x0 + n_cols : x0; /* a last odd row is walked twice */
            for (Py_ssize_t g = 0; g < n_groups; g++) {
                walk_group(p->nodes + g * group, depth, x0, x1, work + g * LANES, work1 + g * LANES);
            }
            out[r] = p->base + pairwise_sum(work, p->n_trees);
            if (r + 1 < n_out) {
                out[r + 1] = p->base + pairwise_sum(work1, p->n_trees);
            }
        }
        Py_END_ALLOW_THREADS
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(work);
    PyBuffer_Release(&vx);
    PyBuffer_Release(&vout);
    return result;
}

static PyMethodDef trees_methods[] = {
    {"pack", trees_pack, METH_VARARGS, pack_doc},
    {"raw", trees_raw, METH_VARARGS, raw_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef trees_module = {
    PyModuleDef_HEAD_INIT, "_ctrees", "Compiled tree-ensemble evaluation (see boilerstrip.model).", -1, trees_methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__ctrees(void)
{
    return PyModule_Create(&trees_module);
}
