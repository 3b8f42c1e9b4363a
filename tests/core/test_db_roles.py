"""The owner/app role SQL (no database needed; tests/core/test_db_roles_pg.py runs it)."""

from __future__ import annotations

import pytest

from sameboat.core.db_roles import check_role_name, role_statements


def test_the_app_gets_no_delete_truncate_or_trigger_on_the_audit_table():
    tables = ["core_auditevent", "orgs_region"]
    sql = role_statements(owner="sb_owner", app="sb_app", database="sameboat", tables=tables)
    assert "ALTER TABLE public.core_auditevent OWNER TO sb_owner" in sql
    assert "REVOKE ALL ON public.core_auditevent FROM sb_app" in sql
    audit_grants = [s for s in sql if s.startswith("GRANT") and "core_auditevent" in s]
    assert audit_grants == [
        'GRANT SELECT, INSERT, UPDATE ("before", "after", redacted_at) ON public.core_auditevent TO sb_app'
    ]
    # The narrow grant comes after the broad one, which it would otherwise not narrow.
    broad = sql.index("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sb_app")
    assert broad < sql.index(audit_grants[0])
    assert not any("TRUNCATE" in s or "TRIGGER" in s for s in sql if "TO sb_app" in s)


@pytest.mark.parametrize("name", ["x; DROP TABLE core_auditevent", "Owner", "a b", "", '"q"'])
def test_role_names_are_plain(name):
    with pytest.raises(ValueError):
        check_role_name(name)
