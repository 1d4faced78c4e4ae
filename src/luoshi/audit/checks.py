"""The audit trail's section of `luoshi check` (registered in AuditConfig.ready)."""
from __future__ import annotations


def audit_report(out, warnings, db_ok=None):
    """Where the audit key and the checkpoint file are; warnings when they sit inside the data dir."""
    from luoshi.audit.anchor import checkpoint_path, inside_data_dir, key_path

    key, cps = key_path(), checkpoint_path()
    state = "present" if key.exists() else "created on first audited change"
    out(f"  audit key:       {key} ({state})")
    out(f"  audit anchors:   {cps}")
    for what, path in (("audit key", key), ("audit checkpoint file", cps)):
        if inside_data_dir(path):
            warnings.append(f"the {what} {path} is inside the data directory: whoever can replace the "
                            f"database files can replace it too (set LUOSHI_AUDIT_"
                            f"{'KEY' if what == 'audit key' else 'CHECKPOINT'}_FILE to a path outside it)")
    if key.exists() and key.stat().st_mode & 0o077:
        warnings.append(f"the audit key {key} is readable by other users (chmod 600)")
