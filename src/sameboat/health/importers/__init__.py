"""Spreadsheet upload of check-ins, for staff without phones (unit officers upload).

Built for 200,000-row files: pass 1 streams the file (csv module or python-calamine),
validates each row against small in-memory lookups and writes the clean values in
PostgreSQL COPY text format to a spool file; nothing is written to the database if any row
is wrong. Pass 2 loads the spool into a temporary staging table (COPY on PostgreSQL, batched
inserts on SQLite) and applies it with set-based statements in one transaction: revisions
of changed rows, one upsert, the returns of the touched units and days recounted, follow-up
cases opened. The audit trail gets one event for the upload.
"""

from sameboat.health.importers.checking import COLUMNS, KIND, validate_file
from sameboat.health.importers.writing import import_checkins, run_checkin_upload

__all__ = ["COLUMNS", "KIND", "import_checkins", "run_checkin_upload", "validate_file"]
