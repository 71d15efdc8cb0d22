"""Class bounds of a choropleth: `mapclassify` over the available values only.

A value `v` is in class `i` when `bins[i - 1] < v <= bins[i]` (class 0 from the smallest value
to `bins[0]`): `numpy.searchsorted(bins, v, side="left")`, the rule of mapclassify's own `yb`,
and the one the values SQL applies (`count(bins < v)`). Not-available values (NULL) are never
given to mapclassify and never get a class.
"""

import warnings

import numpy as np

METHODS = ["quantiles", "fisher_jenks", "equal_interval", "std_mean"]
DEFAULT_METHOD = "quantiles"
MIN_CLASSES, MAX_CLASSES, DEFAULT_CLASSES = 3, 9, 5
# Fisher-Jenks is O(k·n²) in pure Python (no numba here): 0.25 s for 500 values, minutes for
# 57,000. Above this many values it runs on this many evenly spaced order statistics (a
# deterministic sample, unlike FisherJenksSampled's random one), the last bound the maximum.
JENKS_SAMPLE = 400


def _mapclassify():
    # Imported on first use: mapclassify pulls in scipy and scikit-learn (a second at start).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Numba not installed": the pure Python path is used
        import mapclassify
    return mapclassify


def std_multiples(k):
    """k - 1 bounds in standard deviations around the mean, one deviation apart and centred:
    k = 5 gives -1.5, -0.5, 0.5, 1.5 (the middle class is the mean ± half a deviation)."""
    return [j - (k - 2) / 2 for j in range(k - 1)]


def upper_bounds(values, method, k):
    """The upper bound of each class (ascending, the last the largest value), [] if none."""
    y = np.asarray(values, dtype=float)
    if y.size == 0:
        return []
    unique = np.unique(y)
    if unique.size == 1:
        return [float(unique[0])]
    k = min(k, unique.size)
    mc = _mapclassify()
    with warnings.catch_warnings():
        # "Not enough unique values to form k classes": fewer classes come back, as wished.
        warnings.simplefilter("ignore")
        if method == "quantiles":
            bins = mc.Quantiles(y, k=k).bins
        elif method == "fisher_jenks":
            sample = y
            if y.size > JENKS_SAMPLE:
                sample = np.quantile(y, np.linspace(0, 1, JENKS_SAMPLE), method="inverted_cdf")
            bins = mc.FisherJenks(sample, k=min(k, np.unique(sample).size)).bins
        elif method == "equal_interval":
            bins = mc.EqualInterval(y, k=k).bins
        elif method == "std_mean":
            bins = mc.StdMean(y, multiples=std_multiples(k)).bins
        else:
            raise ValueError(f"Unknown classification {method!r}")
    bins = [float(b) for b in np.unique(np.asarray(bins, dtype=float)) if b < y.max()]
    return [*bins, float(y.max())]


def class_counts(values, bins):
    """How many of `values` fall in each class of `bins` (the rule above)."""
    if not bins:
        return []
    y = np.asarray(values, dtype=float)
    index = np.searchsorted(np.asarray(bins), y, side="left")
    return [int(n) for n in np.bincount(index, minlength=len(bins))[: len(bins)]]


def classes(values, method, k):
    """[{"lower", "upper", "count"}] of each class; `lower` is exclusive but for the first
    class, whose lower bound is the smallest value."""
    bins = upper_bounds(values, method, k)
    counts = class_counts(values, bins)
    lowers = [float(np.min(values))] + bins[:-1] if bins else []
    return [
        {"lower": lower, "upper": upper, "count": count}
        for lower, upper, count in zip(lowers, bins, counts, strict=True)
    ]
