#!/usr/bin/env python3
"""Independent check of the curve constants in src/curves.rs: the generator lies on the curve,
q is prime, q·G is the point at infinity, and the cofactor is as stated; for the curves with an
Edwards form, that d, s and t give the same curve and that d is not a square.

The constants were read from OpenSSL's gost engine (strings of gost.so) and match RFC 4357 /
RFC 7836; this script is how they were checked. Run: python3 crates/kep-gost/tools/check_curves.py
"""
import math
import re
import sys
from pathlib import Path


def is_probable_prime(n):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41):
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def add(P, Q, a, p):
    if P is None:
        return Q
    if Q is None:
        return P
    (x1, y1), (x2, y2) = P, Q
    if x1 == x2 and (y1 + y2) % p == 0:
        return None
    if P == Q:
        l = (3 * x1 * x1 + a) * pow(2 * y1, -1, p) % p
    else:
        l = (y2 - y1) * pow(x2 - x1, -1, p) % p
    x3 = (l * l - x1 - x2) % p
    return (x3, (l * (x1 - x3) - y1) % p)


def mul(k, P, a, p):
    R = None
    while k:
        if k & 1:
            R = add(R, P, a, p)
        P = add(P, P, a, p)
        k >>= 1
    return R


source = (Path(__file__).parent.parent / "src" / "curves.rs").read_text()
blocks = re.findall(r"curve!\(\s*(\w+),(.*?)\);", source, re.S)
assert blocks, "no curve! blocks found"
failed = False
for name, body in blocks:
    v = dict(re.findall(r'(\w+)\s*=\s*"([0-9A-Fa-f]+)"', body))
    p, a, b, q = (int(v[k], 16) for k in ("p", "a", "b", "q"))
    x, y = int(v["x"], 16), int(v["y"], 16)
    h = int(re.search(r"cofactor\s*=\s*(\d+)", body).group(1))
    checks = {
        "p prime": is_probable_prime(p),
        "q prime": is_probable_prime(q),
        "G on curve": (y * y - (x ** 3 + a * x + b)) % p == 0,
        "q*G = O": mul(q, (x, y), a, p) is None,
        "order in Hasse bound": abs(p + 1 - h * q) <= 2 * math.isqrt(p) + 2,
    }
    if "edwards_d" in v:
        # The Edwards form u^2 + v^2 = 1 + d*u^2*v^2 (e = 1) and the map's s and t.
        d, s, t = (int(v[k], 16) for k in ("edwards_d", "s", "t"))
        checks.update({
            "4s = 1 - d": (4 * s - (1 - d)) % p == 0,
            "6t = 1 + d": (6 * t - (1 + d)) % p == 0,
            "a = s^2 - 3t^2": (a - (s * s - 3 * t * t)) % p == 0,
            "b = 2t^3 - t*s^2": (b - (2 * t ** 3 - t * s * s)) % p == 0,
            "d non-square (complete addition)": pow(d, (p - 1) // 2, p) == p - 1,
        })
    bad = [k for k, ok in checks.items() if not ok]
    print(f"{name:16} {'ok' if not bad else 'FAILED: ' + ', '.join(bad)}")
    failed |= bool(bad)
sys.exit(1 if failed else 0)
