"""Compatibility re-exports of the supervision engine, which is split by concept:

* supervision.common         configuration (settings.LUOSHI_SUPERVISION), today(), shared helpers
* supervision.lights         lights (灯色), WorkdayIndex, periodic report slots (定期报送)
* supervision.notices        三色督办单: issue, acknowledge, answer, review; visible_notices
* supervision.escalation     升级督办 policies and steps
* supervision.rectification  findings and 限期整改
* supervision.sweep          run_sweep / SweepResult (`luoshi sweep`, supervision.tasks.sweep_task)
* supervision.stats, supervision.bulletins   statistics and 通报 (.docx/.pdf)
* supervision.bulk           the set-based machinery of the sweep
* supervision.notify         who hears about supervision events (delivery: luoshi.notifications)

Import from those modules in new code; nothing inside luoshi imports this one.
"""
from __future__ import annotations

from .models import COLOR_ORDER  # noqa: F401
from .common import (  # noqa: F401
    DEFAULTS, EVALUATED, WORKING, DEFAULT_ACTIONS, config, today, _retry, _event, _ordered_units
)
from .lights import (  # noqa: F401
    WorkdayIndex, Light, light_for, missing_reports, compute_light, _month_end, _months, nominal_dues,
    report_dues, _report_dates, sync_report_slots
)
from .notices import (  # noqa: F401
    visible_notices, _next_number, _create_notice, do_issue_notice, _lead_liaison_of, do_acknowledge_notice,
    do_answer_notice, do_review_answer, notice_for_user
)
from .escalation import (  # noqa: F401
    DEFAULT_STEPS, STEP_KINDS, clean_steps, do_save_policy, _policies, steps_for, _take_step,
    _answered_since, STEP_BATCH, run_escalations
)
from .sweep import (  # noqa: F401
    SweepResult, _apply_change, CHANGE_BATCH, run_sweep, _audit_checkpoint
)
from .rectification import (  # noqa: F401
    do_record_finding, do_create_rectification, do_order_rectification, do_submit_rectification,
    do_verify_rectification
)
