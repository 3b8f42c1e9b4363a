"""The site's own pages and wiring, on top of every app: the dashboard composed from the apps'
tiles, the audit trail and the job pages (they need roles and scope, which core may not import).
Their URL names stay in the ``core`` namespace (core:home, core:audit, core:job_detail)."""
