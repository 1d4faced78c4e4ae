"""Hooks for higher layers.

complaint_found(sender=Case, case, finding, actor): sent after a 效能投诉 is found
属实 or 部分属实 (认定) and the transaction commits. The accountability app connects a
receiver that opens a 问责 proposal from it; cases never imports that app.
"""
from django.dispatch import Signal

complaint_found = Signal()
