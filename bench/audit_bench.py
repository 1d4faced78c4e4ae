"""Audit chain benchmark: append N entries the way the sweep does (record_many, one call per batch),
then time `verify_chain` over all of them, a checkpoint, and `luoshi backup` / `luoshi restore`.

    LUOSHI_DATA_DIR=$(mktemp -d) [DATABASE_URL=postgres://…/luoshi_bench_audit] \
        .venv/bin/python bench/audit_bench.py [--entries 121065] [--batch 5000]

The database must be empty or migrated-empty (it is migrated first); the data directory gets the
audit key and checkpoint file beside it. Entries look like the sweep's (light changes: a flat
before/after dict, object_repr, summary).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=121_065)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--no-backup", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from luoshi.audit import anchor
    from luoshi.audit.models import AuditEntry
    from luoshi.audit.services import record_many, verify_chain

    call_command("migrate", interactive=False, verbosity=0)
    if AuditEntry.objects.exists():
        print("the database already holds audit entries: use an empty one", file=sys.stderr)
        return 2
    print(f"{connection.vendor}: appending {args.entries} entries in batches of {args.batch}")
    t0 = time.monotonic()
    done = 0
    while done < args.entries:
        n = min(args.batch, args.entries - done)
        items = [{"actor": "系统", "action": "supervision.light", "object_type": "ledger.task",
                  "object_id": done + i, "object_repr": f"DB2026-{done + i:06d} 推进重点项目建设第{done + i}项",
                  "summary": "亮灯:绿 → 红(逾期未完成)",
                  "before": {"light": "green", "since": "2026-03-01"},
                  "after": {"light": "red", "since": "2026-03-02", "reason": "逾期未完成"}} for i in range(n)]
        with transaction.atomic():
            record_many(items)
        done += n
    append = time.monotonic() - t0
    print(f"append: {done} entries in {append:.1f} s ({done / append:,.0f}/s)")
    t0 = time.monotonic()
    cp = anchor.write_checkpoint("bench")
    print(f"checkpoint #{cp.n} (verifies the {cp.seq} entries since the previous one): {time.monotonic() - t0:.1f} s")
    t0 = time.monotonic()
    result = verify_chain()
    secs = time.monotonic() - t0
    print(f"verify: {'ok' if result.ok else 'BROKEN ' + result.reason}, {result.checked} entries in {secs:.1f} s "
          f"({result.checked / secs:,.0f}/s)")
    if not args.no_backup:
        with tempfile.TemporaryDirectory() as tmp:
            from luoshi.core.backup import backup

            t0 = time.monotonic()
            m = backup(Path(tmp) / "b.tar.gz", hooks=False)
            print(f"backup: {m['archive_bytes'] / 1e6:.1f} MB archive of {sum(f['size'] for f in m['files']) / 1e6:.1f}"
                  f" MB in {time.monotonic() - t0:.1f} s")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
