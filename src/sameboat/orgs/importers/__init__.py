"""Spreadsheet imports of the employee roster and of organisations (background jobs).

Pass 1 streams the file and validates every row against small lookups (unit and region
codes, the keys already seen); nothing is written if a row is wrong, unless the person chose
to keep the valid rows. Pass 2 reads the file again and writes in batches inside one
transaction, matching on natural keys (employee number within the group, organisation
code), so importing the same file twice changes nothing.
"""

from sameboat.orgs.importers.common import EMPLOYEE_COLUMNS, ORG_COLUMNS
from sameboat.orgs.importers.organisations import import_organizations, run_organization_import, validate_organizations
from sameboat.orgs.importers.roster import import_employees, run_employee_import, validate_employees

__all__ = [
    "EMPLOYEE_COLUMNS",
    "ORG_COLUMNS",
    "import_employees",
    "import_organizations",
    "run_employee_import",
    "run_organization_import",
    "validate_employees",
    "validate_organizations",
]
