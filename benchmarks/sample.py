"""Names shared by the dataset builder and the scenarios (no Django import: the runner uses it)."""

SLUG_PREFIX = "bench-"
# The fullest synthetic project, present with the same shape in the small and the large dataset.
SAMPLE_SLUG = f"{SLUG_PREFIX}00001"
SAMPLE_COMMUNE = "93070"  # Saint-Ouen-sur-Seine, the demo's own commune.
# Role → e-mail of a bench user; the holder is a member of the sample project's holder.
BENCH_USERS = {"holder": "porteur@bench.invalid"}


def scale():
    """`BENCH_SCALE`: how many times the large dataset's 1× sizes (1 or 10)."""
    import os

    value = int(os.environ.get("BENCH_SCALE", "1"))
    if value < 1:
        raise ValueError(f"BENCH_SCALE must be a positive integer, not {value}")
    return value
