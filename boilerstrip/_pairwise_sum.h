/* NumPy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src, pairwise_sum), for
 * contiguous doubles: the order of additions np.sum, .sum() and .mean() use along a contiguous
 * axis. Included by _trees.c and _cstages.c, which are separate extension modules. */
#ifndef BOILERSTRIP_PAIRWISE_SUM_H
#define BOILERSTRIP_PAIRWISE_SUM_H

#include <Python.h>

static double pairwise_sum(const double *a, Py_ssize_t n)
{
    if (n < 8) {
        double res = 0.;
        for (Py_ssize_t i = 0; i < n; i++)
            res += a[i];
        return res;
    }
    else if (n <= 128) {
        double r[8], res;
        Py_ssize_t i;
        r[0] = a[0]; r[1] = a[1]; r[2] = a[2]; r[3] = a[3];
        r[4] = a[4]; r[5] = a[5]; r[6] = a[6]; r[7] = a[7];
        for (i = 8; i < n - (n % 8); i += 8) {
            r[0] += a[i + 0]; r[1] += a[i + 1]; r[2] += a[i + 2]; r[3] += a[i + 3];
            r[4] += a[i + 4]; r[5] += a[i + 5]; r[6] += a[i + 6]; r[7] += a[i + 7];
        }
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    else {
        Py_ssize_t n2 = n / 2;
        n2 -= n2 % 8;
        return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
    }
}

#endif
