from django.dispatch import Signal

#: Sent after a report is submitted or reopened (conditional UPDATEs send no
#: post_save). Arguments: report.
report_status_changed = Signal()

#: Sent inside the transaction that submits a report, once per submission.
#: Arguments: report, at (the submission's time).
report_submitted = Signal()
