/* Tree-ensemble evaluation for boilerstrip.model.Ensemble: the same walk as its NumPy code,
 * row by row, and the same (pairwise) summation of the leaf values, so results are bitwise equal.
 * Arrays come in through the buffer protocol; no NumPy headers are needed to build this. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include "_pairwise_sum.h"

static int
get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, const char *name)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        return -1;
    }
    if (view->itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: expected items of %zd bytes, got %zd", name, itemsize, view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(raw_doc,
"raw(X, feature, threshold, child, value, roots, depth, base, work, out)\n--\n\n"
"Summed tree outputs of each row of the C-contiguous float64 matrix X (rows x columns),\n"
"written to the float64 array out. feature, child and roots are intp arrays, threshold and\n"
"value float64 (boilerstrip.model.Ensemble's fields); work is a float64 scratch array of\n"
"len(roots) items.");

/* A node as the walk reads it: go to child[1] when x[feature] <= threshold, else child[0]. */
typedef struct {
    double threshold;
    Py_ssize_t feature;
    Py_ssize_t child[2];
} Node;

static PyObject *
trees_raw(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *objs[7], *out_obj, *work_obj;
    Py_ssize_t depth;
    double base;
    if (!PyArg_ParseTuple(args, "OOOOOOndOO:raw", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4], &objs[5],
                          &depth, &base, &work_obj, &out_obj)) {
        return NULL;
    }
    static const char *names[7] = {"X", "feature", "threshold", "child", "value", "roots", "out"};
    Py_ssize_t sizes[7] = {sizeof(double), sizeof(Py_ssize_t), sizeof(double), sizeof(Py_ssize_t), sizeof(double),
                           sizeof(Py_ssize_t), sizeof(double)};
    Py_buffer v[8];
    objs[6] = out_obj;
    int got = 0;
    PyObject *result = NULL;
    Node *nodes = NULL;
    for (; got < 7; got++) {
        if (get_buffer(objs[got], &v[got], sizes[got], names[got]) < 0) {
            goto done;
        }
    }
    if (get_buffer(work_obj, &v[7], sizeof(double), "work") < 0) {
        goto done;
    }
    got = 8;
    {
        const double *X = v[0].buf, *threshold = v[2].buf, *value = v[4].buf;
        const Py_ssize_t *feature = v[1].buf, *child = v[3].buf, *roots = v[5].buf;
        double *out = v[6].buf, *work = v[7].buf;
        Py_ssize_t n_trees = v[5].len / (Py_ssize_t)sizeof(Py_ssize_t);
        Py_ssize_t n_out = v[6].len / (Py_ssize_t)sizeof(double);
        Py_ssize_t n_nodes = v[1].len / (Py_ssize_t)sizeof(Py_ssize_t);
        if (v[0].ndim != 2 || v[0].shape[0] != n_out || v[7].len / (Py_ssize_t)sizeof(double) < n_trees
            || v[2].len / (Py_ssize_t)sizeof(double) != n_nodes || v[4].len / (Py_ssize_t)sizeof(double) != n_nodes
            || v[3].len / (Py_ssize_t)sizeof(Py_ssize_t) != 2 * n_nodes) {
            PyErr_SetString(PyExc_ValueError, "raw: arrays of inconsistent shapes");
            goto done;
        }
        Py_ssize_t n_cols = v[0].shape[1];
        /* Each node's test and children side by side, so a step of a walk reads one place. */
        nodes = PyMem_New(Node, n_nodes ? n_nodes : 1);
        if (nodes == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t t = 0; t < n_nodes; t++) {
            if (feature[t] < 0 || feature[t] >= n_cols || child[2 * t] < 0 || child[2 * t] >= n_nodes
                || child[2 * t + 1] < 0 || child[2 * t + 1] >= n_nodes) {
                PyErr_SetString(PyExc_ValueError, "raw: a node points outside the arrays");
                goto done;
            }
            nodes[t].threshold = threshold[t];
            nodes[t].feature = feature[t];
            nodes[t].child[0] = child[2 * t];
            nodes[t].child[1] = child[2 * t + 1];
        }
        for (Py_ssize_t t = 0; t < n_trees; t++) {
            if (roots[t] < 0 || roots[t] >= n_nodes) {
                PyErr_SetString(PyExc_ValueError, "raw: a root points outside the arrays");
                goto done;
            }
        }
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < n_out; r++) {
            const double *x = X + r * n_cols;
            Py_ssize_t t = 0;
            /* eight walks at a time: their chains of dependent loads overlap */
            for (; t + 8 <= n_trees; t += 8) {
                Py_ssize_t w[8];
                for (int k = 0; k < 8; k++) {
                    w[k] = roots[t + k];
                }
                for (Py_ssize_t d = 0; d < depth; d++) {
                    for (int k = 0; k < 8; k++) {
                        const Node *nd = &nodes[w[k]];
                        w[k] = nd->child[x[nd->feature] <= nd->threshold];
                    }
                }
                for (int k = 0; k < 8; k++) {
                    work[t + k] = value[w[k]];
                }
            }
            for (; t < n_trees; t++) {
                Py_ssize_t node = roots[t];
                for (Py_ssize_t d = 0; d < depth; d++) {
                    node = nodes[node].child[x[nodes[node].feature] <= nodes[node].threshold];
                }
                work[t] = value[node];
            }
            out[r] = base + pairwise_sum(work, n_trees);
        }
        Py_END_ALLOW_THREADS
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(nodes);
    for (int k = 0; k < got; k++) {
        PyBuffer_Release(&v[k]);
    }
    return result;
}

static PyMethodDef trees_methods[] = {
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
