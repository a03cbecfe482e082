"""The Compose loader: files → plain tree → interpolated, validated, merged, bound model."""
