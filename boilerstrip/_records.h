/* Reading and writing the slots of boilerstrip's records (slotted dataclasses: Line,
 * LineFeatures, Verdict) from C, shared by _cstages.c and _context.c.
 *
 * A record's fields are read through its class's slot (member) descriptors, whose offsets are
 * checked once per call (member_offsets); a value is used only when it is of a type C compares
 * as Python does (number, flag), and a call hands back to Python otherwise. An extension names
 * the fields it reads in a module attribute (add_names). */
#ifndef BOILERSTRIP_RECORDS_H
#define BOILERSTRIP_RECORDS_H

#if PY_VERSION_HEX < 0x030C0000
#include <structmember.h>
#define Py_T_OBJECT_EX T_OBJECT_EX
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE static inline
#endif

/* The largest int a double holds exactly, and so compares as Python compares the int. */
#define MAX_EXACT (1LL << 53)

/* The offsets in instances of cls of the object slots that the member descriptors in the tuple
 * descrs stand for (descriptors of cls or of a base class), or -1 with an exception set. */
static inline int member_offsets(PyObject *cls_obj, PyObject *descrs, Py_ssize_t n, Py_ssize_t *offsets,
                                 const char *who)
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

/* A field value as Python's float() gives it, for the types that float() and comparisons treat
 * alike in C: bools, exact ints of at most 2**53 in size (exact as doubles), exact floats.
 * 0 when the value is of another type (or NULL: an unset slot). */
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

/* Python truth of a number: NaN is true, as in C. */
ALWAYS_INLINE int truth(double x) { return x != 0.0; }

/* An exact bool's value, or -1 for anything else. */
ALWAYS_INLINE int flag(PyObject *v) { return v == Py_True ? 1 : v == Py_False ? 0 : -1; }

/* Adds the tuple of the n strs of names to the module as attr (the field names an extension
 * reads, for Python to check against its records); -1 with an exception set. */
static inline int add_names(PyObject *module, const char *attr, const char *const *names, Py_ssize_t n)
{
    PyObject *t = PyTuple_New(n);
    for (Py_ssize_t k = 0; t != NULL && k < n; k++) {
        PyObject *name = PyUnicode_FromString(names[k]);
        if (name == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, k, name);
    }
    int r = t != NULL && PyModule_AddObjectRef(module, attr, t) == 0 ? 0 : -1;
    Py_XDECREF(t);
    return r;
}

#endif
