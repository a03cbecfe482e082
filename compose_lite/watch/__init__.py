"""The engine-independent core of ``cl watch``: filters, batching, rule classification, sync plans,
the watchdog bridge and latency statistics.  The loop that wires these to an engine lives elsewhere.
"""
