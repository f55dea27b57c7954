"""R's random numbers under RNGversion("1.6.2"), to rebuild the data of R test scripts.

set.seed(seed) scrambling, the Marsaglia-Multicarry uniform generator and exp_rand (Ahrens & Dieter
1972, algorithm SA) as in R's src/main/RNG.c and src/nmath/sexp.c; sample(n, size, replace=TRUE)
with sample.kind = "Rounding" is floor(n * unif) + 1. Checked by reproducing cmprsk's printed test
output (tests/survival/test_competing.py).
"""

import numpy as np

M32 = 0xFFFFFFFF
I2_32M1 = 2.328306437080797e-10


class RMulticarry:
    def __init__(self, seed):
        seed &= M32
        for _ in range(50):
            seed = (69069 * seed + 1) & M32
        s = []
        for _ in range(2):
            seed = (69069 * seed + 1) & M32
            s.append(seed)
        self.i1, self.i2 = s
        if self.i1 == 0:
            self.i1 = 1
        if self.i2 == 0:
            self.i2 = 1

    def unif(self):
        self.i1 = (36969 * (self.i1 & 0o177777) + (self.i1 >> 16)) & M32
        self.i2 = (18000 * (self.i2 & 0o177777) + (self.i2 >> 16)) & M32
        x = (((self.i1 << 16) & M32) ^ (self.i2 & 0o177777)) * I2_32M1
        if x <= 0:
            return 0.5 * I2_32M1
        if 1 - x <= 0:
            return 1 - 0.5 * I2_32M1
        return x

    Q = [
        0.6931471805599453,
        0.9333736875190459,
        0.9888777961838675,
        0.9984959252914960040,
        0.9998292811061389,
        0.9999833164100727,
        0.9999985508193150,
        0.9999998906925558,
        0.9999999924734159,
        0.9999999995283275,
        0.9999999999728814,
        0.9999999999985598,
        0.9999999999999289,
        0.9999999999999968,
        0.9999999999999999,
        1.0000000000000000,
    ]

    def exp(self):
        q = self.Q
        a = 0.0
        u = self.unif()
        while u <= 0 or u >= 1:
            u = self.unif()
        while True:
            u += u
            if u > 1:
                break
            a += q[0]
        u -= 1
        if u <= q[0]:
            return a + u
        i = 0
        ustar = self.unif()
        umin = ustar
        while True:
            ustar = self.unif()
            if umin > ustar:
                umin = ustar
            i += 1
            if u <= q[i]:
                break
        return a + umin * q[0]

    def sample(self, n, size):
        return np.array([int(n * self.unif()) + 1 for _ in range(size)])

    def norm_buggy_kr(self):
        """norm_rand() with normal.kind = "Buggy Kinderman-Ramage" (R < 1.7.0's default)."""
        A = 2.216035867166471
        C1, C2 = 0.398942280401433, 0.180025191068563

        def g(x):
            return C1 * np.exp(-x * x / 2.0) - C2 * (A - x)

        u1 = self.unif()
        if u1 < 0.884070402298758:
            u2 = self.unif()
            return A * (1.13113163544180 * u1 + u2 - 1)
        if u1 >= 0.973310954173898:
            while True:
                u2, u3 = self.unif(), self.unif()
                tt = A * A - 2 * np.log(u3)
                if u2 * u2 < (A * A) / tt:
                    return np.sqrt(tt) if u1 < 0.986655477086949 else -np.sqrt(tt)
        if u1 >= 0.958720824790463:
            while True:
                u2, u3 = self.unif(), self.unif()
                tt = A - 0.630834801921960 * min(u2, u3)
                if max(u2, u3) <= 0.755591531667601:
                    return tt if u2 < u3 else -tt
                if 0.034240503750111 * abs(u2 - u3) <= g(tt):
                    return tt if u2 < u3 else -tt
        if u1 >= 0.911312780288703:
            while True:
                u2, u3 = self.unif(), self.unif()
                tt = 0.479727404222441 + 1.105473661022070 * min(u2, u3)
                if max(u2, u3) <= 0.872834976671790:
                    return tt if u2 < u3 else -tt
                if 0.049264496342790 * abs(u2 - u3) <= g(tt):
                    return tt if u2 < u3 else -tt
        while True:
            u2, u3 = self.unif(), self.unif()
            tt = 0.479727404222441 - 0.595507138015940 * min(u2, u3)
            if max(u2, u3) <= 0.805577924423817:
                return tt if u2 < u3 else -tt


def cmprsk_test_data():
    """The data of cmprsk's tests/test.R (RNGversion("1.6.2"); set.seed(2)): ss, gg, cc, strt,
    dd_ss = abs(rnorm(100)) and cv (3 binary covariates, NA at rows 1, 10, 20 of column 1)."""
    r = RMulticarry(2)
    ss = np.array([r.exp() for _ in range(100)])
    gg = r.sample(3, 100)
    cc = r.sample(3, 100) - 1
    strt = r.sample(2, 100)
    dd_ss = np.abs([r.norm_buggy_kr() for _ in range(100)])
    cv = (r.sample(2, 300) - 1).astype(float).reshape(3, 100).T  # matrix(..., ncol=3): by column
    cv[[0, 9, 19], 0] = np.nan
    return ss, gg, cc, strt, dd_ss, cv
