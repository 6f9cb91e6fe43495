"""Names shared by the dataset builder and the scenarios (no Django import: the runner uses it)."""

SLUG_PREFIX = "bench-"
# The fullest synthetic project, present with the same shape in the small and the large dataset.
SAMPLE_SLUG = f"{SLUG_PREFIX}00001"
SAMPLE_COMMUNE = "93070"  # Saint-Ouen-sur-Seine, the demo's own commune.
# Role → e-mail of a bench user; the holder is a member of the sample project's holder.
BENCH_USERS = {"holder": "porteur@bench.invalid"}
