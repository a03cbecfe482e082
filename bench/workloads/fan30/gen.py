"""Writes compose.yaml: 30 services in a 1 -> 5 -> 24 dependency DAG (each leaf needs two mids)."""

from pathlib import Path

lines = [
    "x-sleeper: &sleeper",
    "  image: ${BENCH_IMAGE:-cl-busybox}",
    "  command: [\"sh\", \"-c\", \"trap 'exit 0' TERM; sleep 3600 & wait\"]",
    "services:",
    "  root:",
    "    <<: *sleeper",
]
for m in range(5):
    lines += [f"  mid{m}:", "    <<: *sleeper", "    depends_on: [root]"]
for leaf in range(24):
    a, b = leaf % 5, (leaf + 1) % 5
    lines += [f"  leaf{leaf:02d}:", "    <<: *sleeper", f"    depends_on: [mid{a}, mid{b}]"]
Path(__file__).with_name("compose.yaml").write_text("\n".join(lines) + "\n")
